package web

import (
	"net/http"

	"portal/internal/content"
)

// newsPerPage is the page size of /news.
const newsPerPage = 20

type newsListPage struct {
	Base
	pager
	News []content.News
}

// newsIndex lists お知らせ newest first, newsPerPage to a page (?page=N).
func (s *Server) newsIndex(w http.ResponseWriter, r *http.Request) {
	page, ok := pageParam(r)
	if !ok {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	total, err := content.CountNews(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pg, ok := newPager(page, total, newsPerPage)
	if !ok {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	news, err := content.ListNews(r.Context(), s.db, newsPerPage, pg.Offset(newsPerPage))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "news_list", &newsListPage{News: news, pager: pg})
}
