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
	// homeCache is the visitors' top page, rebuilt every few seconds.
	homeCache pageCache
}

// New returns the public pages.
func New(s *site.Site, c *content.Service) *Handler { return &Handler{Site: s, content: c} }

// Mount registers the routes.
func (h *Handler) Mount(r chi.Router) {
	r.Get("/", h.homeShow)
	r.Get("/flow", h.flowShow)
	r.Get("/catalog", h.catalogShow)
	r.Get("/faq", h.faqIndex)
	r.Get("/downloads", h.downloadsIndex)
	r.Get("/downloads/{slug}.txt", h.downloadText)
	r.Get("/downloads/{slug}", h.downloadShow)
	r.Get("/news", h.newsIndex)
	r.Get("/news.atom", h.newsAtom)
	r.Get("/news/{id}", h.newsShow)
	r.Get("/privacy", h.privacyShow)
	r.Get("/terms", h.termsShow)
}
