// Package audit is 操作履歴 in the back office (supervisors only): the audit trail as people
// read it, with filters (who, what, facility, period), keyset pages from both ends with a
// capped count, and the CSV export.
package audit

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/auditlog"
	"portal/internal/web/site"
)

// Handler serves the audit trail's pages.
type Handler struct {
	*site.Site
	audit *auditlog.Service
}

// New returns the audit trail's pages.
func New(s *site.Site, audit *auditlog.Service) *Handler { return &Handler{Site: s, audit: audit} }

// Mount registers the routes (inside the operators' group; supervisors only).
func (h *Handler) Mount(r chi.Router) {
	r.With(h.RequireSupervisor).Get("/admin/audit", h.index)
	r.With(h.RequireSupervisor).Get("/admin/audit/export.csv", h.export)
}
