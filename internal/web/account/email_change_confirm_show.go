package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/web/site"
)

// emailChangeConfirmPage asks to confirm the change opened from the mailed link.
type emailChangeConfirmPage struct {
	site.Base
	NewEmail string
	// Token is the link's token, posted back in the form body (never logged).
	Token string
}

// emailChangeConfirmShow shows the address the link switches to and a button: opening the
// link changes nothing by itself, so mail scanners that fetch links cannot confirm it.
// Signing in is not needed: the link proves the new mailbox, the request was made signed in.
func (h *Handler) emailChangeConfirmShow(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("token")
	t, err := h.accounts.EmailChangeTarget(r.Context(), raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		h.LinkInvalid(w, r, "/account/email", "メールアドレスの変更をやり直す")
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "account/email_change_confirm", &emailChangeConfirmPage{NewEmail: t.Email, Token: raw})
}
