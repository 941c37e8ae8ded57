package admin

import (
	"net/http"

	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// homePage is the back office's home (管理メニュー).
type homePage struct {
	site.AdminBase
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
