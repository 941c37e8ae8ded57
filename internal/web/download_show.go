package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
)

type downloadPage struct {
	Base
	Document content.Document
}

// downloadShow is one document as a printable page.
func (s *Server) downloadShow(w http.ResponseWriter, r *http.Request) {
	d, err := content.DocumentBySlug(chi.URLParam(r, "slug"))
	if err != nil {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	s.render(w, r, http.StatusOK, "download_show", &downloadPage{Document: d})
}
