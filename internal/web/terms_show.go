package web

import "net/http"

// termsShow is サイトのご利用にあたって.
func (s *Server) termsShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "terms", &staticPage{})
}
