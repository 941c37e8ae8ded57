package web

import (
	"net/http"

	"portal/internal/form"
)

// emailChangePage is メールアドレス変更: the new address, typed twice.
type emailChangePage struct {
	Base
	// Current is the address in use.
	Current      string
	Email        string
	EmailConfirm string
	Errors       form.Errors
}

// emailChangeShow asks for the new address.
func (s *Server) emailChangeShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "email_change", &emailChangePage{Current: currentUser(r).Account.Email})
}
