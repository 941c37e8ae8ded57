// Package certificate is 電子証明書発行申請 for facilities: the status page listing every
// certificate (申請中 / 発行済 / 失効申請中 / 失効) with 取消 and 失効申請 where the status allows,
// each confirmed on its own page, and the application for several certificates at once on
// the application flow (internal/web/apply), open once the 利用申請 is approved.
package certificate

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/certificate"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

// Handler is the certificates' pages; it is the application flow's apply.Kind.
type Handler struct {
	*site.Site
	certs *certificate.Service
	flow  *apply.Flow[Form]
}

// New returns the certificates' pages.
func New(s *site.Site, certs *certificate.Service) *Handler {
	h := &Handler{Site: s, certs: certs}
	h.flow = &apply.Flow[Form]{Site: s, Name: "certificate", Path: "/certificates/apply", Kind: h}
	return h
}

// Mount registers the routes (inside the signed-in facility group).
func (h *Handler) Mount(r chi.Router) {
	r.Get("/certificates", h.CachedPage(h.index))
	apply.Mount(r, h.flow)
	r.Get("/certificates/{id}/cancel", h.cancelConfirm)
	r.Post("/certificates/{id}/cancel", h.cancel)
	r.Get("/certificates/{id}/revoke", h.revokeConfirm)
	r.Post("/certificates/{id}/revoke", h.revoke)
}
