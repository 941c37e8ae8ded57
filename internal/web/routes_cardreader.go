package web

import "github.com/go-chi/chi/v5"

// cardReaderRoutes registers the routes of this area.
func (s *Server) cardReaderRoutes(r chi.Router) {
	_ = r
}
