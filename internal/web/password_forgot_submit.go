package web

import (
	"net/http"

	"portal/internal/accountform"
)

const sessResetSentTo = "reset_sent_to"

// passwordForgotSubmit mails a reset link (1 h) when the address is an account's. The
// answer and its time are the same for every well-formed address, known or not: the lookup
// happens in a job after the answer (account.Service).
func (s *Server) passwordForgotSubmit(w http.ResponseWriter, r *http.Request) {
	a, errs := accountform.ReadAddress(r.PostForm)
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "password_forgot", &passwordForgotPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	if err := s.accounts.RequestPasswordReset(ctx, a.Email, s.clientAddr(r)); err != nil {
		if !s.limited(w, r, err) {
			s.serverError(w, r, err)
		}
		return
	}
	s.sessions.Put(ctx, sessResetSentTo, a.Email)
	http.Redirect(w, r, "/password/forgot/sent", http.StatusSeeOther)
}
