package web

import "github.com/go-chi/chi/v5"

// mailRoutes registers the routes of this area. The development mailbox exists only while
// mails go to the built-in catcher, which only a development machine may use (no SMTP,
// BASE_URL plain http on loopback, the embedded database: config.DevMailbox): anywhere else
// /dev/mailbox is a plain 404.
func (s *Server) mailRoutes(r chi.Router) {
	if s.cfg.DevMailbox() {
		r.Get("/dev/mailbox", s.devMailboxShow)
	}
}
