package account

import (
	"net/http"
	"portal/internal/web/site"
)

// accountEditConfirmShow is the edit's 確認画面.
func (h *Handler) accountEditConfirmShow(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	pa, ok := h.pending(r, p)
	if !ok {
		http.Redirect(w, r, "/account/edit", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "account/confirm", &accountConfirmPage{Facility: p.Facility, Pending: pa,
		Email: p.Account.Email, Action: "/account/edit/confirm", Back: "/account/edit"})
}
