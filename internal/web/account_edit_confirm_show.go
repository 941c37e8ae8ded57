package web

import "net/http"

// accountEditConfirmShow is the edit's 確認画面.
func (s *Server) accountEditConfirmShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	pa, ok := s.pending(r, p)
	if !ok {
		http.Redirect(w, r, "/account/edit", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account_confirm", &accountConfirmPage{Facility: p.Facility, Pending: pa,
		Email: p.Account.Email, Action: "/account/edit/confirm", Back: "/account/edit"})
}
