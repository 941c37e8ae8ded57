package web

import "net/http"

// adminHomePage is the back office's home (管理メニュー).
type adminHomePage struct {
	AdminBase
}

// adminHomeShow shows the back-office menu for the signed-in operator.
func (s *Server) adminHomeShow(w http.ResponseWriter, r *http.Request) {
	s.renderAdmin(w, r, http.StatusOK, "admin_home", &adminHomePage{})
}
