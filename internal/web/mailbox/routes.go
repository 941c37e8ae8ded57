// Package mailbox is the development mailbox (/dev/mailbox): the mails the built-in
// catcher received while no SMTP server is configured.
package mailbox

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/mail"
	"portal/internal/web/site"
)

// Handler serves /dev/mailbox.
type Handler struct {
	*site.Site
	mailbox *mail.Mailbox
}

// New returns the mailbox page.
func New(s *site.Site, m *mail.Mailbox) *Handler { return &Handler{Site: s, mailbox: m} }

// Mount registers the route, only while mails go to the built-in catcher: on a real
// installation /dev/mailbox is a plain 404.
func (h *Handler) Mount(r chi.Router) {
	if h.Config.DevMailbox() {
		r.Get("/dev/mailbox", h.show)
	}
}
