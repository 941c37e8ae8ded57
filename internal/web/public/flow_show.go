package public

import (
	"net/http"
	"portal/internal/web/site"
)

type flowPage struct {
	site.Base
	Applications []site.Application
}

// flowShow is 利用申請・補助申請の流れ.
func (h *Handler) flowShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "public/flow", &flowPage{Applications: site.Applications})
}
