// Package cardreader is 顔認証付きカードリーダー申込 for facilities, on the application flow
// (internal/web/apply): the form with its survey, readers and delivery change, the confirm
// and completion pages, and the cancellation.
package cardreader

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/cardreader"
	"portal/internal/postal"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

// Handler is the card reader application's pages; it is the flow's apply.Kind.
type Handler struct {
	*site.Site
	readers *cardreader.Service
	postal  *postal.Directory
	flow    *apply.Flow[Form]
}

// New returns the card reader pages.
func New(s *site.Site, readers *cardreader.Service, dir *postal.Directory) *Handler {
	h := &Handler{Site: s, readers: readers, postal: dir}
	h.flow = &apply.Flow[Form]{Site: s, Name: "cardreader", Path: "/cardreader", Kind: h}
	return h
}

// Mount registers the routes (inside the signed-in facility group).
func (h *Handler) Mount(r chi.Router) {
	apply.Mount(r, h.flow)
	r.Get("/cardreader/cancel", h.cancelShow)
	r.Post("/cardreader/cancel", h.cancelSubmit)
}
