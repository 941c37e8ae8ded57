package web

import (
	"net/http"

	"portal/internal/pref"
)

// registerConfirmPage is the 確認画面 of new registration.
type registerConfirmPage struct {
	Base
	Email          string
	Form           registerValues
	PrefectureName string
	ScoreTableName string
}

// registerConfirm shows what will be registered, with 「上記の内容で確定する」 and
// 「入力画面に戻る」.
func (s *Server) registerConfirm(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := s.registrationLink(w, r)
	if !ok {
		return
	}
	d, ok := s.registrationDraftFor(r, raw)
	if !ok {
		http.Redirect(w, r, "/register/account", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "register_confirm", &registerConfirmPage{Email: t.Email, Form: d.registerValues,
		PrefectureName: pref.Name(d.Prefecture), ScoreTableName: pref.ScoreTableName(d.ScoreTable)})
}
