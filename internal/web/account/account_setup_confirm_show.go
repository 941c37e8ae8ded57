package account

import (
	"net/http"
	"portal/internal/web/site"
)

// accountSetupConfirmShow is the forced edit's 確認画面: 「入力画面に戻る」 or
// 「上記の内容に同意して確定する」.
func (h *Handler) accountSetupConfirmShow(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	pa, ok := h.pending(r, p)
	if !ok {
		http.Redirect(w, r, site.ProvisionalEditPath, http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "account/confirm", &accountConfirmPage{Provisional: true, Facility: p.Facility,
		Pending: pa, Email: pa.Email, Action: site.ProvisionalEditPath + "/confirm", Back: site.ProvisionalEditPath})
}
