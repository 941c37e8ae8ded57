package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
)

// passwordResetSubmit sets the new password. The account's session version moves on, so
// every session of the account ends, and a notice goes to the address.
func (h *Handler) passwordResetSubmit(w http.ResponseWriter, r *http.Request) {
	raw, a, ok := h.resetAccount(w, r)
	if !ok {
		return
	}
	p, errs := accountform.ReadNewPassword(r.PostForm, a.Email)
	if !errs.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/password_reset", &passwordResetPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	_, err := h.accounts.ResetPassword(ctx, raw, p.Password)
	if errors.Is(err, account.ErrTokenInvalid) {
		h.LinkInvalid(w, r, "/password/forgot", "パスワードの再設定をやり直す")
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Sessions.Remove(ctx, sessResetToken)
	if err := h.Sessions.RenewToken(ctx); err != nil {
		h.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/password/reset/done", http.StatusSeeOther)
}
