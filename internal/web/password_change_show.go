package web

import (
	"net/http"

	"portal/internal/form"
)

// passwordChangePage is パスワード変更: the current password and a new one typed twice.
type passwordChangePage struct {
	Base
	Errors form.Errors
}

// passwordChangeShow asks for the current and the new password.
func (s *Server) passwordChangeShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password_change", &passwordChangePage{})
}
