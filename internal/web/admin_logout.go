package web

import (
	"net/http"

	"portal/internal/operator"
)

// adminLogout signs the operator out: the audit log records it, the session's data is
// dropped and the next page starts a fresh session.
func (s *Server) adminLogout(w http.ResponseWriter, r *http.Request) {
	o := currentOperator(r)
	if err := operator.Record(r.Context(), s.db, o.ID, operator.ActionSignOut, operator.TargetOperator, o.ID, nil); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), "flash", "ログアウトしました。")
	http.Redirect(w, r, adminLoginPath, http.StatusSeeOther)
}
