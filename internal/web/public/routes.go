// Package public serves the pages anyone may read without signing in (SPEC §5): the top
// page, 利用申請・補助申請の流れ, the catalog, the FAQ, downloads, お知らせ, and the site's
// policies.
package public

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/content"
	"portal/internal/web/site"
)

// Handler serves the public pages.
type Handler struct {
	*site.Site
	content *content.Service
	// cache holds the visitors' pages (cache.go).
	cache visitorCache
}

// New returns the public pages.
func New(s *site.Site, c *content.Service) *Handler { return &Handler{Site: s, content: c} }

// Mount registers the routes.
func (h *Handler) Mount(r chi.Router) {
	// The pages every visitor sees alike come from the shared renderings (cache.go).
	r.Get("/", h.cached(h.homeShow))
	r.Get("/flow", h.cached(h.flowShow))
	r.Get("/catalog", h.cached(h.catalogShow))
	r.Get("/faq", h.cached(h.faqIndex))
	r.Get("/downloads", h.cached(h.downloadsIndex))
	r.Get("/downloads/{slug}.txt", h.downloadText)
	r.Get("/downloads/{slug}", h.cached(h.downloadShow))
	r.Get("/news", h.cached(h.newsIndex))
	r.Get("/news.atom", h.newsAtom)
	r.Get("/news/{id}", h.newsShow) // not shared: an unpublished item must go at once
	r.Get("/privacy", h.cached(h.privacyShow))
	r.Get("/terms", h.cached(h.termsShow))
}
