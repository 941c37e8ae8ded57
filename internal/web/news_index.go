package web

import (
	"net/http"
	"strconv"

	"portal/internal/content"
)

// newsPerPage is the page size of /news.
const newsPerPage = 20

type newsListPage struct {
	Base
	News       []content.News
	Page       int
	TotalPages int
	Total      int
}

// PrevPage and NextPage are 0 when there is no such page.
func (p *newsListPage) PrevPage() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p *newsListPage) NextPage() int {
	if p.Page < p.TotalPages {
		return p.Page + 1
	}
	return 0
}

// newsIndex lists お知らせ newest first, newsPerPage to a page (?page=N).
func (s *Server) newsIndex(w http.ResponseWriter, r *http.Request) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			s.errorStatus(w, r, http.StatusNotFound)
			return
		}
		page = n
	}
	total, err := content.CountNews(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pages := max(1, (total+newsPerPage-1)/newsPerPage)
	if page > pages {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	news, err := content.ListNews(r.Context(), s.db, newsPerPage, (page-1)*newsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "news_list", &newsListPage{News: news, Page: page, TotalPages: pages, Total: total})
}
