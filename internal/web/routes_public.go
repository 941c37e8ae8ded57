package web

import "github.com/go-chi/chi/v5"

// publicRoutes registers the routes of this area.
func (s *Server) publicRoutes(r chi.Router) {
	_ = r
}
