package web

import (
	"net/http"

	"portal/internal/content"
)

// homeLatestNews is how many お知らせ the top page lists.
const homeLatestNews = 5

type homePage struct {
	Base
	News         []content.News
	Applications []application
}

// homeShow is the top page: both entrances, the 義務化 notice, the latest news and the
// numbered list of applications.
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	news, err := content.ListNews(r.Context(), s.db, homeLatestNews, 0)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", &homePage{News: news, Applications: applications})
}
