package web

import "github.com/go-chi/chi/v5"

// publicRoutes registers the pages anyone may read without signing in (SPEC §5). The
// top page "/" is registered in routes() itself.
func (s *Server) publicRoutes(r chi.Router) {
	r.Get("/flow", s.flowShow)
	r.Get("/catalog", s.catalogShow)
	r.Get("/faq", s.faqIndex)
	r.Get("/downloads", s.downloadsIndex)
	r.Get("/downloads/{slug}.txt", s.downloadText)
	r.Get("/downloads/{slug}", s.downloadShow)
	r.Get("/news", s.newsIndex)
	r.Get("/news/{id}", s.newsShow)
	r.Get("/privacy", s.privacyShow)
	r.Get("/terms", s.termsShow)
}
