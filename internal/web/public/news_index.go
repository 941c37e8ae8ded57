package public

import (
	"net/http"

	"portal/internal/content"
	"portal/internal/web/site"
)

// newsPerPage is the page size of /news.
const newsPerPage = 20

type newsListPage struct {
	site.Base
	site.Pager
	News []content.News
}

// newsIndex lists お知らせ newest first, newsPerPage to a page (?page=N).
func (h *Handler) newsIndex(w http.ResponseWriter, r *http.Request) {
	page, ok := site.PageParam(r)
	if !ok {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	total, err := h.content.CountNews(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	pg, ok := site.NewPager(page, total, newsPerPage)
	if !ok {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	news, err := h.content.News(r.Context(), newsPerPage, pg.Offset(newsPerPage))
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	next, err := h.content.NextPublish(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	if next != nil {
		site.CacheUntil(r, *next) // a scheduled お知らせ joins the list at its time
	}
	h.Render(w, r, http.StatusOK, "public/news_list", &newsListPage{News: news, Pager: pg})
}
