package web

import "github.com/go-chi/chi/v5"

// Routes returns the server's router, for tests that walk every route (chi.Walk).
func (s *Server) Routes() chi.Routes { return s.router }
