package web

import (
	"net/http"

	"portal/internal/account"
)

// accountEditConfirmSubmit saves the edit and returns to マイページ. Submitting twice saves
// the same values twice, which changes nothing.
func (s *Server) accountEditConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	pa, ok := s.pending(r, p)
	if !ok {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	if err := account.UpdateProfile(r.Context(), s.db, p.Account.ID, pa.profile()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.dropPending(r)
	s.sessions.Put(r.Context(), "flash", "アカウント情報を更新しました。")
	http.Redirect(w, r, "/mypage", http.StatusSeeOther)
}
