package cardreader

import (
	"errors"
	"net/http"

	"portal/internal/application"
	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// showPage is one application for an operator, with only the steps its status allows.
type showPage struct {
	site.AdminBase
	cardreader.Detail
	Errors    form.Errors
	DateValue string
	// Current is the 配送予定日 shown (jp.ISODate, "" for none): the step is refused if
	// another operator changed it meanwhile.
	Current string
	// Min and Max bound the date input: today and a year ahead (JST).
	Min, Max string
	// CanSchedule, CanCorrect and CanShip say which steps the status allows
	// (cardreader.Kind): no button is shown that would only be refused.
	CanSchedule, CanCorrect, CanShip bool
}

// show is the application's page: its content, its history with who did what, and the
// operator's next steps.
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
	status, today := d.Application.Status, jp.Today()
	page := &showPage{Detail: d, Min: jp.ISODate(today), Max: jp.ISODate(cardreader.LatestDeliveryDate(today)),
		CanSchedule: cardreader.Kind.Can(status, cardreader.ActionSchedule, application.ByOperator),
		CanCorrect:  cardreader.Kind.Can(status, cardreader.ActionCorrect, application.ByOperator),
		CanShip:     cardreader.Kind.Can(status, cardreader.ActionShip, application.ByOperator)}
	if d.Application.DeliveryDate != nil {
		page.DateValue = jp.ISODate(*d.Application.DeliveryDate)
		page.Current = page.DateValue
	}
	return page, true
}
