package web

import "github.com/go-chi/chi/v5"

// mailRoutes registers the routes of this area.
func (s *Server) mailRoutes(r chi.Router) {
	_ = r
}
