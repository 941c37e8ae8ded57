package cardreader

import (
	"fmt"
	"net/http"

	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/web/site"
)

// deliveryDate sets the 配送予定日 and mails it to the facility (one domain step with its
// audit entry).
func (h *Handler) deliveryDate(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	raw := in.Text("delivery_date")
	date, perr := jp.ParseISODate(raw)
	if perr != nil || date.Year() < 2020 || date.Year() > 2100 {
		page, ok := h.load(w, r)
		if !ok {
			return
		}
		page.Errors.Add("delivery_date", "配送予定日を「2026-12-10」の形式で入力してください。")
		page.DateValue = raw
		h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/cardreader/show", page)
		return
	}
	id := applicationID(r)
	err := h.readers.SetDeliveryDate(r.Context(), *site.CurrentOperator(r), id, date)
	h.after(w, r, id, err, "配送予定日を設定し、医療機関等へメールで通知しました。")
}

// ship marks the application 発送済.
func (h *Handler) ship(w http.ResponseWriter, r *http.Request) {
	id := applicationID(r)
	err := h.readers.MarkShipped(r.Context(), *site.CurrentOperator(r), id)
	h.after(w, r, id, err, "発送済にしました。")
}

func (h *Handler) after(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	h.AfterStep(w, r, err, fmt.Sprintf("/admin/cardreader/%d", id), done)
}
