package web

import "net/http"

// logout signs out: the session is destroyed and the next page gets a new token.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.endSession(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), "flash", "ログアウトしました。")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
