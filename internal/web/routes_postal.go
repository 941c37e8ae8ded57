package web

import "github.com/go-chi/chi/v5"

// postalRoutes registers the routes of this area.
func (s *Server) postalRoutes(r chi.Router) {
	_ = r
}
