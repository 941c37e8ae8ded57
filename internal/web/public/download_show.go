package public

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
	"portal/internal/web/site"
)

type downloadPage struct {
	site.Base
	Document content.Document
}

// downloadShow is one document as a printable page.
func (h *Handler) downloadShow(w http.ResponseWriter, r *http.Request) {
	d, err := content.DocumentBySlug(chi.URLParam(r, "slug"))
	if err != nil {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	h.Render(w, r, http.StatusOK, "public/download", &downloadPage{Document: d})
}
