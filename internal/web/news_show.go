package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
)

type newsShowPage struct {
	Base
	News content.News
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
	s.render(w, r, http.StatusOK, "news_show", &newsShowPage{News: n})
}
