package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/mail"
	"portal/internal/operator"
)

var weekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

// adminCardReaderDeliveryDate sets the 配送予定日 and mails it to the facility, in one
// transaction with the audit entry.
func (s *Server) adminCardReaderDeliveryDate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	op := currentOperator(r)
	in := form.NewInput(r.PostForm)
	raw := in.Text("delivery_date")
	date, perr := time.ParseInLocation("2006-01-02", raw, time.UTC)
	if perr != nil || date.Year() < 2020 || date.Year() > 2100 {
		page, ok := s.loadAdminCardReader(w, r)
		if !ok {
			return
		}
		page.Errors.Add("delivery_date", "配送予定日を「2026-12-10」の形式で入力してください。")
		page.DateValue = raw
		s.renderAdmin(w, r, http.StatusUnprocessableEntity, "admin_cardreader_show", page)
		return
	}
	id := applicationID(r)
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		app, err := cardreader.SetDeliveryDate(ctx, tx, id, date, op.ID)
		if err != nil {
			return err
		}
		acc, err := account.ByID(ctx, tx, app.AccountID)
		if err != nil {
			return err
		}
		shown := fmt.Sprintf("%d年%d月%d日（%s）", date.Year(), date.Month(), date.Day(), weekdays[date.Weekday()])
		if err := mail.Enqueue(ctx, tx, acc.Email, "cardreader_delivery_date", mail.CardReaderDeliveryDate{
			FacilityName: acc.FacilityName, ReferenceNumber: app.Reference, DeliveryDate: shown, BaseURL: s.cfg.BaseURL}); err != nil {
			return err
		}
		return operator.Record(ctx, tx, op.ID, "cardreader.delivery_date", "cardreader_application", id, map[string]string{"date": raw})
	})
	s.afterAdminCardReaderStep(w, r, id, err, "配送予定日を設定し、医療機関等へメールで通知しました。")
}

// adminCardReaderShip marks the application 発送済.
func (s *Server) adminCardReaderShip(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	op := currentOperator(r)
	id := applicationID(r)
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := cardreader.MarkShipped(ctx, tx, id, op.ID); err != nil {
			return err
		}
		return operator.Record(ctx, tx, op.ID, "cardreader.shipped", "cardreader_application", id, nil)
	})
	s.afterAdminCardReaderStep(w, r, id, err, "発送済にしました。")
}

func (s *Server) afterAdminCardReaderStep(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	switch {
	case errors.Is(err, cardreader.ErrNotFound):
		s.errorStatus(w, r, http.StatusNotFound)
		return
	case errors.Is(err, cardreader.ErrBadTransition):
		s.sessions.Put(r.Context(), "flash", "この申込の状態では、その操作はできません。")
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.sessions.Put(r.Context(), "flash", done)
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/cardreader/%d", id), http.StatusSeeOther)
}
