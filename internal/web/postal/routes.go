// Package postal is 郵便番号から住所検索 on the web: the JSON lookup that
// web/static/js/postal.js calls, a public page that works with and without JavaScript,
// and Fill, the server-side half of the lookup button that any form can use.
package postal

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/postal"
	"portal/internal/web/site"
)

// Handler serves the postal pages.
type Handler struct {
	*site.Site
	postal *postal.Directory
}

// New returns the postal pages on dir.
func New(s *site.Site, dir *postal.Directory) *Handler { return &Handler{Site: s, postal: dir} }

// Mount registers the routes.
func (h *Handler) Mount(r chi.Router) {
	r.Get("/postal/lookup", h.lookup)
	r.Get("/postal/try", h.tryShow)
	r.Post("/postal/try", h.trySubmit)
}
