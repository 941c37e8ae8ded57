package public

import (
	"net/http"

	"portal/internal/content"
	"portal/internal/web/site"
)

type downloadsPage struct {
	site.Base
	Documents []content.Document
}

// downloadsIndex is 各種資料ダウンロード: the documents the portal can print for you.
func (h *Handler) downloadsIndex(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "public/downloads", &downloadsPage{Documents: content.Documents()})
}
