package cardreader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/mail"
	"portal/internal/operator"
)

// Service runs the card reader application's steps, each as one call with its transaction,
// rules, history, mail and audit entry inside.
type Service struct {
	db      *pgxpool.Pool
	baseURL string
	// Now is the clock of the rules (year ranges); tests set it.
	Now func() time.Time
}

// NewService returns the card reader service on db; baseURL is for links in mails.
func NewService(db *pgxpool.Pool, baseURL string) *Service {
	return &Service{db: db, baseURL: baseURL, Now: time.Now}
}

// MsgLocked says why a facility can no longer change or cancel.
const MsgLocked = "配送予定日が決定しているため、申込内容の変更・取消はできません。変更・取消が必要な場合は、オンライン資格確認等コールセンター（0800-080-4583）へお問い合わせください。"

// Standing is what the facility's card reader pages show: its live application (nil when
// it has none) and the readers it may choose.
type Standing struct {
	Application *Application
	Catalog     []Model
}

// Standing reads the facility's Standing in one round trip: the live application, and the
// whole catalog from which those the facility may choose are kept (as Catalog does: the
// ones shown, and the hidden ones its application names).
func (s *Service) Standing(ctx context.Context, facilityID int64) (Standing, error) {
	var st Standing
	var all []Model
	b := &pgx.Batch{}
	b.Queue(forFacility, facilityID).QueryRow(func(row pgx.Row) error {
		a, err := scanForFacility(row)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		st.Application = &a
		return err
	})
	b.Queue(modelsQuery + ` ORDER BY sort_order, id`).Query(func(rows pgx.Rows) (err error) {
		all, err = collectModels(rows)
		return err
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return Standing{}, fmt.Errorf("cardreader: standing of facility %d: %w", facilityID, err)
	}
	for _, m := range all {
		if !m.Hidden || names(st.Application, m.ID) {
			st.Catalog = append(st.Catalog, m)
		}
	}
	return st, nil
}

// names reports whether application a (nil for none) has an item of model id.
func names(a *Application, id int64) bool {
	if a == nil {
		return false
	}
	for _, it := range a.Input.Items {
		if it.ModelID == id {
			return true
		}
	}
	return false
}

// Closure says why the facility can no longer change its application (a delivery date is
// set), or nil while it can.
func (s *Service) Closure(ctx context.Context, facilityID int64) (*application.Closure, error) {
	app, err := ForFacility(ctx, s.db, facilityID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ClosureOf(&app), nil
}

// ClosureOf says why the facility can no longer change app (nil: no application, or one
// it may still change).
func ClosureOf(app *Application) *application.Closure {
	if app == nil || app.Changeable() {
		return nil
	}
	return &application.Closure{Lines: []string{"申込番号 " + app.Reference + "（状態：" + app.Status + "）", MsgLocked}}
}

// CheckAgainst applies the rules to in for facility f with the catalog and the existing
// application already read (the input page reads them once per request).
func (s *Service) CheckAgainst(in Input, f account.Facility, catalog []Model, existing bool) form.Errors {
	return Validate(in, f, catalog, existing, s.Now())
}

// Submit is 「上記の内容で確定する」: it creates, changes or (all 台数 「---」) cancels the
// facility's application and queues the mail that says what was received, in one
// transaction. The rules run again inside it; a double submit records nothing twice.
func (s *Service) Submit(ctx context.Context, ap application.Applicant, in Input) (application.Receipt, error) {
	var rc application.Receipt
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		catalog, err := Catalog(ctx, tx, ap.Facility.ID)
		if err != nil {
			return err
		}
		if err := application.LockFacility(ctx, tx, ap.Facility.ID); err != nil {
			return err
		}
		_, exErr := ForFacility(ctx, tx, ap.Facility.ID)
		if errs := Validate(in, ap.Facility, catalog, exErr == nil, s.Now()); !errs.Valid() {
			return &application.InvalidError{Errors: errs}
		}
		app, outcome, err := Submit(ctx, tx, ap.Facility.ID, ap.Account.ID, in)
		switch {
		case errors.Is(err, ErrLocked):
			return &application.ClosedError{Message: MsgLocked}
		case errors.Is(err, ErrNothingToCancel):
			return &application.InvalidError{Errors: form.Errors{FieldModel(1): msgNone}}
		case err != nil:
			return err
		}
		rc = receipt(app, outcome)
		return s.mailOutcome(ctx, tx, ap, app, outcome, Describe(in, ap.Facility, catalog))
	})
	return rc, err
}

// Cancel cancels the facility's live application (「申込を取り消す」) and mails it.
func (s *Service) Cancel(ctx context.Context, ap application.Applicant) (application.Receipt, error) {
	var rc application.Receipt
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := application.LockFacility(ctx, tx, ap.Facility.ID); err != nil {
			return err
		}
		app, err := Cancel(ctx, tx, ap.Facility.ID, ap.Account.ID)
		switch {
		case errors.Is(err, ErrLocked):
			return &application.ClosedError{Message: MsgLocked}
		case err != nil:
			return err
		}
		rc = receipt(app, application.Cancelled)
		catalog, err := Models(ctx, tx)
		if err != nil {
			return err
		}
		return s.mailOutcome(ctx, tx, ap, app, application.Cancelled, Describe(app.Input, ap.Facility, catalog))
	})
	return rc, err
}

func receipt(app Application, outcome application.Outcome) application.Receipt {
	rc := application.Receipt{Title: Kind.Title, Reference: app.Reference, Outcome: outcome}
	if outcome == application.Created {
		rc.Lines = []string{"配送予定日が決定し次第、改めてメールにてお知らせいたします。"}
	}
	return rc
}

func (s *Service) mailOutcome(ctx context.Context, tx pgx.Tx, ap application.Applicant, app Application, outcome application.Outcome, d Description) error {
	data := mail.CardReaderApplied{FacilityName: ap.Account.FacilityName, ReferenceNumber: app.Reference,
		Details: d.MailLines(), BaseURL: s.baseURL}
	switch outcome {
	case application.Created:
		return mail.Enqueue(ctx, tx, ap.Account.Email, "cardreader_applied", data)
	case application.Changed:
		return mail.Enqueue(ctx, tx, ap.Account.Email, "cardreader_changed", data)
	case application.Cancelled:
		return mail.Enqueue(ctx, tx, ap.Account.Email, "cardreader_cancelled", data)
	}
	return nil
}

// Overview is the card reader's place on マイページ (and on the operators' facility page):
// its status, 申込番号, readers and history, and whether it can still be changed.
func (s *Service) Overview(ctx context.Context, f account.Facility) (application.Overview, error) {
	return application.OverviewNow(ctx, s.db, Kind, s, f)
}

// QueueOverview queues the facility's newest application, with its readers named, on b
// (one query); the returned function builds the Overview once b was read.
func (s *Service) QueueOverview(b *pgx.Batch, f account.Facility) func([]application.Event) (application.Overview, error) {
	var (
		app     *Application
		catalog []Model
	)
	b.Queue(`SELECT `+applicationColumns+`, coalesce((SELECT json_agg(json_build_object('slot', i.slot, 'model', i.model_id,
			'qty', i.quantity, 'maker', m.maker, 'product', m.product) ORDER BY i.slot)
			FROM cardreader_application_items i JOIN card_reader_models m ON m.id = i.model_id WHERE i.application_id = a.id), '[]')
		FROM cardreader_applications a WHERE facility_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, f.ID).
		QueryRow(func(row pgx.Row) error {
			var items []struct {
				Slot, Qty      int
				Model          int64
				Maker, Product string
			}
			a, err := scanApplicationAnd(row, &items)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("cardreader: overview: %w", err)
			}
			for _, it := range items {
				if it.Slot >= 1 && it.Slot <= Slots {
					a.Input.Items[it.Slot-1] = Item{ModelID: it.Model, Quantity: it.Qty}
				}
				catalog = append(catalog, Model{ID: it.Model, Maker: it.Maker, Product: it.Product})
			}
			app = &a
			return nil
		})
	return func(history []application.Event) (application.Overview, error) {
		ov := application.Overview{Status: "未申請", State: application.Todo, History: history}
		if app == nil {
			return ov, nil
		}
		ov.Status, ov.Reference = app.Status, app.Reference
		switch app.Status {
		case StatusShipped:
			ov.State = application.Done
		case StatusCancelled:
			ov.State = application.Todo
		default:
			ov.State = application.InProgress
		}
		if app.DeliveryDate != nil {
			ov.Note = "配送予定日 " + jp.Date(*app.DeliveryDate)
		}
		if app.Changeable() {
			ov.Note = "配送予定日が決まるまで変更・取消ができます。"
		}
		if app.Status != StatusCancelled {
			ov.Details = Describe(app.Input, f, catalog).Readers
		}
		return ov, nil
	}
}

// Detail is one application as an operator sees it.
type Detail struct {
	Application Application
	Facility    account.Facility
	Account     account.Account
	Description Description
	History     []application.Event
}

// Detail returns one application with its facility, account, words and history.
func (s *Service) Detail(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	if d.Application, err = ByID(ctx, s.db, id); err != nil {
		return d, err
	}
	if d.Facility, err = account.FacilityByID(ctx, s.db, d.Application.FacilityID); err != nil {
		return d, err
	}
	if d.Account, err = account.ByID(ctx, s.db, d.Application.AccountID); err != nil {
		return d, err
	}
	catalog, err := Models(ctx, s.db)
	if err != nil {
		return d, err
	}
	d.Description = Describe(d.Application.Input, d.Facility, catalog)
	d.History, err = History(ctx, s.db, id)
	return d, err
}

// List returns one page of applications for the operators' list.
func (s *Service) List(ctx context.Context, req ListRequest) (listing.CursorPage[Row], error) {
	return List(ctx, s.db, req)
}

// Makers lists the makers of the catalog.
func (s *Service) Makers(ctx context.Context) ([]string, error) { return Makers(ctx, s.db) }

// Audit actions of the card reader's processing.
const (
	AuditDeliveryDate = "cardreader.delivery_date"
	// AuditDeliveryDateCorrected is a 配送予定日 changed after it was mailed (訂正).
	AuditDeliveryDateCorrected = "cardreader.delivery_date_corrected"
	AuditShipped               = "cardreader.shipped"
	AuditExport                = "cardreader.export"
	auditTarget                = "cardreader_application"
)

// SetDeliveryDate sets the 配送予定日 (受付済) or corrects it (配送予定日決定) and mails it to
// the facility — a correction as a mail of its own that says so — in one transaction with
// the history and the audit entry. seen is the date the operator was shown ("" for none,
// else jp.ISODate): if another operator changed it meanwhile the step is refused with
// ErrStale. The date must lie between today and a year ahead (JST).
func (s *Service) SetDeliveryDate(ctx context.Context, op operator.Operator, id int64, date time.Time, seen string) error {
	if err := CheckDeliveryDate(date, s.Now()); err != nil {
		return err
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		// Locked before it is read: a step that waited for another operator's then
		// compares seen with the date that one set, not with the date before it.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM cardreader_applications WHERE id = $1 FOR UPDATE`, id); err != nil {
			return fmt.Errorf("cardreader: lock application %d: %w", id, err)
		}
		cur, err := ByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if shown := isoDatePtr(cur.DeliveryDate); shown != seen {
			return ErrStale
		}
		app, previous, err := SetDeliveryDate(ctx, tx, id, date, op.ID)
		if err != nil {
			return err
		}
		acc, err := account.ByID(ctx, tx, app.AccountID)
		if err != nil {
			return err
		}
		data := mail.CardReaderDeliveryDate{FacilityName: acc.FacilityName, ReferenceNumber: app.Reference,
			DeliveryDate: jp.Date(date), BaseURL: s.baseURL}
		template, audit, detail := "cardreader_delivery_date", AuditDeliveryDate, map[string]string{"date": jp.ISODate(date)}
		if previous != nil {
			data.PreviousDate = jp.Date(*previous)
			template, audit, detail["previous"] = "cardreader_delivery_date_corrected", AuditDeliveryDateCorrected, jp.ISODate(*previous)
		}
		if _, err := mail.Send(ctx, tx, mail.Message{To: acc.Email, Template: template, Data: data, FacilityID: app.FacilityID}); err != nil {
			return err
		}
		return operator.Record(ctx, tx, op.ID, audit, auditTarget, id, detail)
	})
}

func isoDatePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return jp.ISODate(*t)
}

// MarkShipped records that the readers left the maker (発送済).
func (s *Service) MarkShipped(ctx context.Context, op operator.Operator, id int64) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := MarkShipped(ctx, tx, id, op.ID); err != nil {
			return err
		}
		return operator.Record(ctx, tx, op.ID, AuditShipped, auditTarget, id, nil)
	})
}

// Export writes the makers' CSV of maker's applications (status "" for every live one) to w
// in enc, after recording the export in the audit trail.
func (s *Service) Export(ctx context.Context, op operator.Operator, w io.Writer, maker, status string, enc jp.Encoding) error {
	if err := operator.Record(ctx, s.db, op.ID, AuditExport, "cardreader_maker", 0,
		map[string]string{"maker": maker, "status": status, "encoding": string(enc)}); err != nil {
		return err
	}
	return Export(ctx, s.db, w, maker, status, enc)
}
