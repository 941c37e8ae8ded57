package cardreader

import (
	"errors"
	"net/http"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// showPage is one application for an operator.
type showPage struct {
	site.AdminBase
	cardreader.Detail
	Errors    form.Errors
	DateValue string
}

// show is the application's page: its content, history and the operator's next steps
// (配送予定日, 発送済).
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	page, ok := h.load(w, r)
	if !ok {
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/cardreader/show", page)
}

func (h *Handler) load(w http.ResponseWriter, r *http.Request) (*showPage, bool) {
	d, err := h.readers.Detail(r.Context(), applicationID(r))
	if errors.Is(err, cardreader.ErrNotFound) {
		h.NotFound(w, r)
		return nil, false
	}
	if err != nil {
		h.ServerError(w, r, err)
		return nil, false
	}
	page := &showPage{Detail: d}
	if d.Application.DeliveryDate != nil {
		page.DateValue = jp.ISODate(*d.Application.DeliveryDate)
	}
	return page, true
}
