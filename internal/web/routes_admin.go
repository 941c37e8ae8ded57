package web

import "github.com/go-chi/chi/v5"

// adminRoutes registers the routes of this area.
func (s *Server) adminRoutes(r chi.Router) {
	_ = r
}
