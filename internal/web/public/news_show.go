package public

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/content"
	"portal/internal/web/site"
)

type newsShowPage struct {
	site.Base
	News content.News
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
	h.Render(w, r, http.StatusOK, "public/news_show", &newsShowPage{News: n})
}
