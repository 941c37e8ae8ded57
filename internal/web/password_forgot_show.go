package web

import (
	"net/http"

	"portal/internal/form"
)

// passwordForgotPage is パスワードを忘れた方はこちら: the account's address.
type passwordForgotPage struct {
	Base
	Email  string
	Errors form.Errors
}

// passwordForgotShow asks for the address of the account whose password is forgotten.
func (s *Server) passwordForgotShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password_forgot", &passwordForgotPage{})
}
