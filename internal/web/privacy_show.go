package web

import "net/http"

type staticPage struct {
	Base
}

// privacyShow is 情報保護管理体制.
func (s *Server) privacyShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "privacy", &staticPage{})
}
