package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
)

type newsShowPage struct {
	Base
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
func (s *Server) newsShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	n, err := content.NewsByID(r.Context(), s.db, id)
	if errors.Is(err, content.ErrNotFound) {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "news_show", &newsShowPage{News: n, Paragraphs: paragraphs(n.Body)})
}
