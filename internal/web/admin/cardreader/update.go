package cardreader

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

const msgDateFormat = "配送予定日を「2026-12-10」の形式で入力してください。"

// deliveryConfirmPage asks the operator to confirm the 配送予定日 before it is mailed.
type deliveryConfirmPage struct {
	site.AdminBase
	cardreader.Detail
	Date     time.Time
	Previous *time.Time
	// DateValue and Current go back as hidden fields.
	DateValue, Current string
}

// readDate reads and checks the date field; the message is "" when it is fine.
func readDate(r *http.Request) (date time.Time, raw, current, msg string) {
	in := form.NewInput(r.PostForm)
	raw, current = in.Text("delivery_date"), in.Text("current")
	date, err := jp.ParseISODate(raw)
	switch {
	case in.Errors.Has("delivery_date") || err != nil || date.Year() < 2000 || date.Year() > 2100:
		return date, raw, current, msgDateFormat
	}
	switch cardreader.CheckDeliveryDate(date, jp.Now()) {
	case cardreader.ErrDeliveryDatePast:
		msg = cardreader.MsgDeliveryDatePast
	case cardreader.ErrDeliveryDateFar:
		msg = fmt.Sprintf(cardreader.MsgDeliveryDateFar, jp.Date(cardreader.LatestDeliveryDate(jp.Now())))
	}
	return date, raw, current, msg
}

// deliveryConfirm checks the date and shows what will be mailed, and to whom.
func (h *Handler) deliveryConfirm(w http.ResponseWriter, r *http.Request) {
	page, ok := h.load(w, r)
	if !ok {
		return
	}
	if !page.CanSchedule && !page.CanCorrect {
		h.after(w, r, page.Application.ID, cardreader.ErrBadTransition, "")
		return
	}
	date, raw, current, msg := readDate(r)
	if msg == "" && page.Application.DeliveryDate != nil && jp.ISODate(*page.Application.DeliveryDate) == jp.ISODate(date) {
		msg = cardreader.MsgSameDate
	}
	if msg != "" {
		page.Errors.Add("delivery_date", msg)
		page.DateValue = raw
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/cardreader/show", page)
		return
	}
	if current != page.Current {
		h.after(w, r, page.Application.ID, cardreader.ErrStale, "")
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/cardreader/delivery_confirm", &deliveryConfirmPage{Detail: page.Detail,
		Date: date, Previous: page.Application.DeliveryDate, DateValue: jp.ISODate(date), Current: current})
}

// deliveryDate sets or corrects the 配送予定日 and mails it to the facility (one domain step
// with its history and audit entry).
func (h *Handler) deliveryDate(w http.ResponseWriter, r *http.Request) {
	id := applicationID(r)
	date, _, current, msg := readDate(r)
	if msg != "" {
		// Only a forged or day-old confirm page gets here; the form says why.
		page, ok := h.load(w, r)
		if !ok {
			return
		}
		page.Errors.Add("delivery_date", msg)
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/cardreader/show", page)
		return
	}
	err := h.readers.SetDeliveryDate(r.Context(), *site.CurrentOperator(r), id, date, current)
	done := "配送予定日を設定し、医療機関等へメールで通知しました。"
	if current != "" {
		done = "配送予定日を訂正し、医療機関等へ訂正のメールを送りました。"
	}
	h.after(w, r, id, err, done)
}

// shipConfirm asks the operator to confirm 発送済.
func (h *Handler) shipConfirm(w http.ResponseWriter, r *http.Request) {
	page, ok := h.load(w, r)
	if !ok {
		return
	}
	if !page.CanShip {
		h.after(w, r, page.Application.ID, cardreader.ErrBadTransition, "")
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/cardreader/ship_confirm", page)
}

// ship marks the application 発送済.
func (h *Handler) ship(w http.ResponseWriter, r *http.Request) {
	id := applicationID(r)
	err := h.readers.MarkShipped(r.Context(), *site.CurrentOperator(r), id)
	h.after(w, r, id, err, "発送済にしました。")
}

// after answers a step: back to the application with what happened, or why not.
func (h *Handler) after(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	switch {
	case errors.Is(err, cardreader.ErrNotFound):
		h.NotFound(w, r)
		return
	case errors.Is(err, cardreader.ErrBadTransition):
		h.Flash(r, "この申込の状態では、その操作はできません。")
	case errors.Is(err, cardreader.ErrStale):
		h.Flash(r, cardreader.MsgStale)
	case errors.Is(err, cardreader.ErrSameDate):
		h.Flash(r, cardreader.MsgSameDate)
	case errors.Is(err, cardreader.ErrDeliveryDatePast):
		h.Flash(r, cardreader.MsgDeliveryDatePast)
	case errors.Is(err, cardreader.ErrDeliveryDateFar):
		h.Flash(r, fmt.Sprintf(cardreader.MsgDeliveryDateFar, jp.Date(cardreader.LatestDeliveryDate(jp.Now()))))
	case err != nil:
		h.ServerError(w, r, err)
		return
	default:
		h.Flash(r, done)
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/cardreader/%d", id), http.StatusSeeOther)
}
