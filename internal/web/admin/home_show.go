package admin

import (
	"net/http"
	"portal/internal/web/site"
)

// homePage is the back office's home: the facility search first, then the menu (管理メニュー).
type homePage struct {
	site.AdminBase
	// Query is the search box's value (empty: the box starts blank).
	Query string
}

// homeShow shows the back-office menu for the signed-in operator.
func (h *Handler) homeShow(w http.ResponseWriter, r *http.Request) {
	h.RenderAdmin(w, r, http.StatusOK, "admin/home", &homePage{})
}
