package account

import (
	"net/http"

	"portal/internal/accountform"
)

const sessResetSentTo = "reset_sent_to"

// passwordForgotSubmit mails a reset link (1 h) when the address is an account's. The
// answer is the same for every well-formed address, known or not.
func (h *Handler) passwordForgotSubmit(w http.ResponseWriter, r *http.Request) {
	a, errs := accountform.ReadAddress(r.PostForm)
	if !errs.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/password_forgot", &passwordForgotPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	if err := h.accounts.RequestPasswordReset(ctx, a.Email, h.ClientAddr(r)); err != nil {
		if !h.Limited(w, r, err) {
			h.ServerError(w, r, err)
		}
		return
	}
	h.Sessions.Put(ctx, sessResetSentTo, a.Email)
	http.Redirect(w, r, "/password/forgot/sent", http.StatusSeeOther)
}
