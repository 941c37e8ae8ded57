package web

import "github.com/go-chi/chi/v5"

// accountRoutes registers the routes of this area.
func (s *Server) accountRoutes(r chi.Router) {
	_ = r
}
