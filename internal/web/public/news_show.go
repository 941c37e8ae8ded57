package public

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
	"portal/internal/web/site"
)

type newsShowPage struct {
	site.Base
	News content.News
	// Paragraphs is the body cut at its line breaks, one <p> each.
	Paragraphs []string
}

func paragraphs(body string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// newsShow is one お知らせ; an unknown or malformed ID is the 404 page.
func (h *Handler) newsShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	n, err := h.content.NewsByID(r.Context(), id)
	if errors.Is(err, content.ErrNotFound) {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "public/news_show", &newsShowPage{News: n, Paragraphs: paragraphs(n.Body)})
}
