package web

import (
	"net/http"

	"portal/internal/accountform"
)

const sessRegisterSentTo = "register_sent_to"

// registerSubmit sends the registration link (仮登録メールを送信する). Every well-formed
// address gets the same answer in the same time: the request only checks the limits and
// queues a job, which looks the address up after the answer (account.Service).
func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) {
	a, errs := accountform.ReadAddress(r.PostForm)
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "register", &registerStartPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	if err := s.accounts.RequestRegistration(ctx, a.Email, s.clientAddr(r)); err != nil {
		if !s.limited(w, r, err) {
			s.serverError(w, r, err)
		}
		return
	}
	s.sessions.Put(ctx, sessRegisterSentTo, a.Email)
	http.Redirect(w, r, "/register/sent", http.StatusSeeOther)
}
