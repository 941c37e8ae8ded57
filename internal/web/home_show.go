package web

import "net/http"

type homePage struct {
	Base
}

// homeShow is the top page with both entrances.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", &homePage{})
}
