package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/web/site"
)

// passwordResetPage is the new-password form of the reset.
type passwordResetPage struct {
	site.Base
	Email  string
	Errors form.Errors
}

// resetAccount returns the session's reset link and its account, or answers the request
// with the invalid-link page and false.
func (h *Handler) resetAccount(w http.ResponseWriter, r *http.Request) (string, account.Account, bool) {
	raw := h.Sessions.GetString(r.Context(), sessResetToken)
	a, err := h.accounts.PasswordResetAccount(r.Context(), raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		h.LinkInvalid(w, r, "/password/forgot", "パスワードの再設定をやり直す")
		return "", a, false
	}
	if err != nil {
		h.ServerError(w, r, err)
		return "", a, false
	}
	return raw, a, true
}

// passwordResetShow asks for the new password.
func (h *Handler) passwordResetShow(w http.ResponseWriter, r *http.Request) {
	_, a, ok := h.resetAccount(w, r)
	if !ok {
		return
	}
	h.Render(w, r, http.StatusOK, "account/password_reset", &passwordResetPage{Email: a.Email})
}
