package web

import "github.com/go-chi/chi/v5"

// postalRoutes registers 郵便番号から住所検索: the JSON lookup that web/static/js/postal.js
// calls, and a public page that works with and without JavaScript.
func (s *Server) postalRoutes(r chi.Router) {
	r.Get("/postal/lookup", s.postalLookup)
	r.Get("/postal/try", s.postalTryShow)
	r.Post("/postal/try", s.postalTrySubmit)
}
