// Package qualification is オンライン資格確認利用申請 for facilities, on the application flow
// (internal/web/apply): the form, the confirm and completion pages, and the closed page once
// the application is approved.
package qualification

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/qualification"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

// Handler is the 利用申請's pages; it is the flow's apply.Kind.
type Handler struct {
	*site.Site
	apps *qualification.Service
}

// New returns the 利用申請 pages.
func New(s *site.Site, apps *qualification.Service) *Handler { return &Handler{Site: s, apps: apps} }

// Mount registers the routes (inside the signed-in facility group).
func (h *Handler) Mount(r chi.Router) {
	apply.Mount(r, &apply.Flow[Form]{Site: h.Site, Name: "qualification", Path: "/qualification", Kind: h})
}
