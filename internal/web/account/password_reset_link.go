package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
)

const sessResetToken = "reset_token"

// passwordResetLink opens the mailed reset link: the token (in the query string, which the
// access log leaves out) moves into the session and the browser goes on to a URL without it. The link is used only when the password is set.
func (h *Handler) passwordResetLink(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("token")
	_, err := h.accounts.PasswordResetLink(r.Context(), raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		h.LinkInvalid(w, r, "/password/forgot", "パスワードの再設定をやり直す")
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Sessions.Put(r.Context(), sessResetToken, raw)
	http.Redirect(w, r, "/password/reset", http.StatusSeeOther)
}
