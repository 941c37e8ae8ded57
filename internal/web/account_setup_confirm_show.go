package web

import "net/http"

// accountSetupConfirmShow is the forced edit's 確認画面: 「入力画面に戻る」 or
// 「上記の内容に同意して確定する」.
func (s *Server) accountSetupConfirmShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	pa, ok := s.pending(r, p)
	if !ok {
		http.Redirect(w, r, provisionalEditPath, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account_confirm", &accountConfirmPage{Provisional: true, Facility: p.Facility,
		Pending: pa, Email: pa.Email, Action: provisionalEditPath + "/confirm", Back: provisionalEditPath})
}
