package web

import (
	"net/http"

	"portal/internal/form"
)

// adminLoginPage is the back-office login (管理画面ログイン).
type adminLoginPage struct {
	AdminBase
	// Login is what was typed as ログインID; the password is never given back.
	Login string
	// Next is the back-office page to open after signing in.
	Next string
	// Errors maps "login" and "password" to the message beside the field.
	Errors form.Errors
	// Problem is the message above the form when the sign-in itself failed.
	Problem string
}

// adminLoginShow shows the back-office login; a signed-in operator goes straight on.
func (s *Server) adminLoginShow(w http.ResponseWriter, r *http.Request) {
	o, err := s.sessionOperator(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	next := adminNext(r.URL.Query().Get("next"))
	if o != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.renderAdmin(w, r, http.StatusOK, "admin_login", &adminLoginPage{Next: next})
}
