package public

import (
	"net/http"

	"portal/internal/content"
	"portal/internal/web/site"
)

// homeLatestNews is how many お知らせ the top page lists.
const homeLatestNews = 5

type homePage struct {
	site.Base
	News         []content.News
	Applications []site.Application
}

// homeShow is the top page: both entrances, the 義務化 notice, the latest news and the
// numbered list of applications. Visitors (no sign-in, no pending notice) share one
// rendering; it carries no CSRF token because the visitor's top page has no form.
func (h *Handler) homeShow(w http.ResponseWriter, r *http.Request) {
	news, next, err := h.content.HomeNews(r.Context(), homeLatestNews)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	// A scheduled お知らせ shows at its publish time: the shared rendering ends then.
	if next != nil {
		site.CacheUntil(r, *next)
	}
	h.Render(w, r, http.StatusOK, "public/home", &homePage{News: news, Applications: site.Applications})
}
