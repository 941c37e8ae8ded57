package account

import (
	"net/http"

	"portal/internal/pref"
	"portal/internal/web/site"
)

// registerConfirmPage is the 確認画面 of new registration.
type registerConfirmPage struct {
	site.Base
	Email          string
	Form           registerValues
	PrefectureName string
	ScoreTableName string
}

// registerConfirm shows what will be registered, with 「上記の内容で確定する」 and
// 「入力画面に戻る」.
func (h *Handler) registerConfirm(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := h.registrationLink(w, r)
	if !ok {
		return
	}
	d, ok := h.registrationDraftFor(r, raw)
	if !ok {
		http.Redirect(w, r, "/register/account", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "account/register_confirm", &registerConfirmPage{Email: t.Email, Form: d.registerValues,
		PrefectureName: pref.Name(d.Prefecture), ScoreTableName: pref.ScoreTableName(d.ScoreTable)})
}
