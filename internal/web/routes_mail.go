package web

import "github.com/go-chi/chi/v5"

// mailRoutes registers the routes of this area. The development mailbox exists only while
// mails go to the built-in catcher, i.e. when no SMTP server is configured: on a real
// installation /dev/mailbox is a plain 404.
func (s *Server) mailRoutes(r chi.Router) {
	if !s.cfg.SMTP.Configured() {
		r.Get("/dev/mailbox", s.devMailboxShow)
	}
}
