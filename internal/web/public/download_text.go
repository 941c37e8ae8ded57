package public

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
)

// downloadText sends one document as a UTF-8 text file (CRLF line ends, for Windows
// editors, with a byte order mark so older ones detect UTF-8), the download counterpart
// of the printable page.
func (h *Handler) downloadText(w http.ResponseWriter, r *http.Request) {
	slug := chi.URLParam(r, "slug")
	d, err := content.DocumentBySlug(slug)
	if err != nil {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// The slug is one of ours (a-z and -), so it is safe in the header as is.
	w.Header().Set("Content-Disposition", `attachment; filename="`+d.Slug+`.txt"`)
	_, _ = w.Write([]byte("\ufeff" + d.Text()))
}
