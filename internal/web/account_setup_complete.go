package web

import "net/http"

// accountSetupCompletePage is the completion page of the forced edit.
type accountSetupCompletePage struct {
	Base
	Email string
}

// accountSetupComplete tells that the account is registered and the mail is on its way.
// It shows once, right after the forced edit; later visits go to マイページ.
func (s *Server) accountSetupComplete(w http.ResponseWriter, r *http.Request) {
	if !s.sessions.PopBool(r.Context(), sessSetupDone) {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account_setup_complete", &accountSetupCompletePage{Email: currentUser(r).Account.Email})
}
