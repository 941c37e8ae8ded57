package public

import (
	"net/http"
	"portal/internal/web/site"
)

type staticPage struct {
	site.Base
}

// privacyShow is 情報保護管理体制.
func (h *Handler) privacyShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "public/privacy", &staticPage{})
}
