package admin

import (
	"net/http"
	"portal/internal/web/site"
)

// homePage is the back office's home (管理メニュー).
type homePage struct {
	site.AdminBase
}

// homeShow shows the back-office menu for the signed-in operator.
func (h *Handler) homeShow(w http.ResponseWriter, r *http.Request) {
	h.RenderAdmin(w, r, http.StatusOK, "admin/home", &homePage{})
}
