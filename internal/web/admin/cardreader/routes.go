// Package cardreader is 申請処理（顔認証付きカードリーダー）in the back office: the list of
// applications with its search, filters and keyset pages, one application with its
// history, the operators' steps (配送予定日 and its correction, 発送済), each confirmed on a
// page of its own, and the CSV export per maker.
package cardreader

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/cardreader"
	"portal/internal/web/site"
)

// Handler serves the card reader pages of the back office.
type Handler struct {
	*site.Site
	readers *cardreader.Service
}

// New returns the card reader pages of the back office.
func New(s *site.Site, readers *cardreader.Service) *Handler {
	return &Handler{Site: s, readers: readers}
}

// Mount registers the routes (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get("/admin/cardreader", h.index)
	r.Get("/admin/cardreader/export.csv", h.export)
	r.Get("/admin/cardreader/{id}", h.show)
	r.Post("/admin/cardreader/{id}/delivery-date/confirm", h.deliveryConfirm)
	r.Post("/admin/cardreader/{id}/delivery-date", h.deliveryDate)
	r.Get("/admin/cardreader/{id}/ship", h.shipConfirm)
	r.Post("/admin/cardreader/{id}/ship", h.ship)
}

// applicationID reads {id} of the route; 0 when it is not a positive number.
func applicationID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
