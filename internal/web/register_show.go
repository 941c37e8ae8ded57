package web

import (
	"net/http"

	"portal/internal/form"
)

// registerStartPage is 初めてご利用になる方（アカウント登録）: the address to send the
// registration link to.
type registerStartPage struct {
	Base
	Email  string
	Errors form.Errors
}

// registerShow asks for the address that will become the login ID.
func (s *Server) registerShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", &registerStartPage{})
}
