package admin

import (
	"net/http"

	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// homePage is the back office's home: the facility search first, then the menu (管理メニュー).
type homePage struct {
	site.AdminBase
	// Query is the search box's value (empty: the box starts blank).
	Query string
	// Inquiries counts the cases of each status (お問い合わせ).
	Inquiries []inquiry.StatusCount
}

// homeShow shows the back-office menu for the signed-in operator, with the number of
// inquiries waiting in each status.
func (h *Handler) homeShow(w http.ResponseWriter, r *http.Request) {
	counts, err := h.inquiries.Counts(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/home", &homePage{Inquiries: counts})
}
