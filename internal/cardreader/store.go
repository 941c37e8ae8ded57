package cardreader

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/database"
	"portal/internal/jp"
)

// Catalog returns the readers facility facilityID may apply for, in catalog order: those
// the catalog shows, and those its live application already names even if a supervisor
// has hidden them since (a hidden product stays on the applications that chose it, and
// the facility may keep it when it changes its application). facilityID 0 gives the
// catalog as shown.
func Catalog(ctx context.Context, db database.DB, facilityID int64) ([]Model, error) {
	return models(ctx, db, `WHERE active OR id IN (SELECT i.model_id FROM cardreader_application_items i
		JOIN cardreader_applications a ON a.id = i.application_id WHERE a.facility_id = $1 AND a.status <> '取消')`, facilityID)
}

// Models returns every reader the catalog ever had, hidden ones included, to name what an
// application chose.
func Models(ctx context.Context, db database.DB) ([]Model, error) {
	return models(ctx, db, `WHERE $1::bigint IS NOT NULL`, int64(0))
}

// modelsQuery is the catalog's columns, for models and Standing.
const modelsQuery = `SELECT id, maker, product, NOT active FROM card_reader_models`

func models(ctx context.Context, db database.DB, where string, arg int64) ([]Model, error) {
	rows, err := db.Query(ctx, modelsQuery+` `+where+` ORDER BY sort_order, id`, arg)
	if err != nil {
		return nil, fmt.Errorf("cardreader: catalog: %w", err)
	}
	return collectModels(rows)
}

func collectModels(rows pgx.Rows) ([]Model, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Model, error) {
		var m Model
		return m, r.Scan(&m.ID, &m.Maker, &m.Product, &m.Hidden)
	})
	if err != nil {
		return nil, fmt.Errorf("cardreader: catalog: %w", err)
	}
	return list, nil
}

const applicationColumns = `id, reference, facility_id, account_id, status,
	intro_year, intro_month, online_claim, online_claim_year, online_claim_month,
	emr, emr_year, emr_month, dispensing, dispensing_year, dispensing_month,
	delivery_change, delivery_postal, delivery_pref, delivery_address, delivery_building,
	delivery_name, delivery_phone, delivery_contact, delivery_date, shipped_at, created_at, updated_at`

func scanApplication(row pgx.Row) (Application, error) { return scanApplicationAnd(row) }

// scanApplicationAnd scans applicationColumns and then the extra columns into extra.
func scanApplicationAnd(row pgx.Row, extra ...any) (Application, error) {
	var (
		a                                Application
		s                                = &a.Input.Survey
		d                                = &a.Input.Delivery
		ocY, ocM, emrY, emrM, dspY, dspM *int
		emr, dsp                         *string
		pref                             *int
	)
	dest := []any{&a.ID, &a.Reference, &a.FacilityID, &a.AccountID, &a.Status,
		&s.IntroYear, &s.IntroMonth, &s.OnlineClaim, &ocY, &ocM, &emr, &emrY, &emrM, &dsp, &dspY, &dspM,
		&d.Change, &d.Postal, &pref, &d.Address, &d.Building, &d.Name, &d.Phone, &d.Contact,
		&a.DeliveryDate, &a.ShippedAt, &a.CreatedAt, &a.UpdatedAt}
	err := row.Scan(append(dest, extra...)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	if err != nil {
		return a, err
	}
	s.OnlineClaimYear, s.OnlineClaimMonth = deref(ocY), deref(ocM)
	s.EMR, s.EMRYear, s.EMRMonth = derefS(emr), deref(emrY), deref(emrM)
	s.Dispensing, s.DispensingYear, s.DispensingMonth = derefS(dsp), deref(dspY), deref(dspM)
	d.PrefectureCode = deref(pref)
	return a, nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func derefS(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func nullInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ByID returns an application with its items, whatever its status.
func ByID(ctx context.Context, db database.DB, id int64) (Application, error) {
	a, err := scanApplication(db.QueryRow(ctx, `SELECT `+applicationColumns+` FROM cardreader_applications WHERE id = $1`, id))
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return a, err
		}
		return a, fmt.Errorf("cardreader: application %d: %w", id, err)
	}
	return a, loadItems(ctx, db, &a)
}

// forFacility is the facility's live application with its items as JSON.
const forFacility = `SELECT ` + applicationColumns + `,
	coalesce((SELECT json_agg(json_build_object('slot', i.slot, 'model', i.model_id, 'qty', i.quantity))
		FROM cardreader_application_items i WHERE i.application_id = a.id), '[]')
	FROM cardreader_applications a WHERE facility_id = $1 AND status <> '取消'`

// ForFacility returns the facility's live (not cancelled) application, or ErrNotFound.
// Facility pages read applications only through this and Standing, so they never see
// another's.
func ForFacility(ctx context.Context, db database.DB, facilityID int64) (Application, error) {
	a, err := scanForFacility(db.QueryRow(ctx, forFacility, facilityID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("cardreader: application of facility %d: %w", facilityID, err)
	}
	return a, err
}

// scanForFacility reads a row of forFacility.
func scanForFacility(row pgx.Row) (Application, error) {
	var items []struct {
		Slot, Qty int
		Model     int64
	}
	a, err := scanApplicationAnd(row, &items)
	if err != nil {
		return a, err
	}
	for _, it := range items {
		if it.Slot >= 1 && it.Slot <= Slots {
			a.Input.Items[it.Slot-1] = Item{ModelID: it.Model, Quantity: it.Qty}
		}
	}
	return a, nil
}

// ListForFacility returns every application of the facility, newest first, cancelled ones
// included (its history on マイページ).
func ListForFacility(ctx context.Context, db database.DB, facilityID int64) ([]Application, error) {
	rows, err := db.Query(ctx, `SELECT `+applicationColumns+` FROM cardreader_applications
		WHERE facility_id = $1 ORDER BY created_at DESC, id DESC`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("cardreader: applications of facility: %w", err)
	}
	apps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Application, error) { return scanApplication(r) })
	if err != nil {
		return nil, fmt.Errorf("cardreader: applications of facility: %w", err)
	}
	for i := range apps {
		if err := loadItems(ctx, db, &apps[i]); err != nil {
			return nil, err
		}
	}
	return apps, nil
}

func loadItems(ctx context.Context, db database.DB, a *Application) error {
	rows, err := db.Query(ctx, `SELECT slot, model_id, quantity FROM cardreader_application_items
		WHERE application_id = $1 ORDER BY slot`, a.ID)
	if err != nil {
		return fmt.Errorf("cardreader: items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var slot int
		var it Item
		if err := rows.Scan(&slot, &it.ModelID, &it.Quantity); err != nil {
			return fmt.Errorf("cardreader: items: %w", err)
		}
		if slot >= 1 && slot <= Slots {
			a.Input.Items[slot-1] = it
		}
	}
	return rows.Err()
}

// Submit records a validated input for the facility in tx: it creates the application, or
// changes the live one, or cancels it when every 台数 is 「---」. A double submit of a new
// application finds the one the first submit made (the partial unique index allows one
// live application per facility) and changes it to the same content.
func Submit(ctx context.Context, tx pgx.Tx, facilityID, accountID int64, in Input) (Application, application.Outcome, error) {
	// Lock the facility so submits of one facility run one after the other: the second of a
	// double click then sees the first one's application.
	if err := application.LockFacility(ctx, tx, facilityID); err != nil {
		return Application{}, 0, err
	}
	cur, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM cardreader_applications
		WHERE facility_id = $1 AND status <> '取消' FOR UPDATE`, facilityID))
	switch {
	case errors.Is(err, ErrNotFound):
		if in.Cancels() {
			return Application{}, 0, ErrNothingToCancel
		}
		a, err := insert(ctx, tx, facilityID, accountID, in)
		return a, application.Created, err
	case err != nil:
		return Application{}, 0, fmt.Errorf("cardreader: submit: %w", err)
	}
	if err := loadItems(ctx, tx, &cur); err != nil {
		return cur, 0, err
	}
	if cur.Input == in {
		return cur, application.Unchanged, nil
	}
	if !cur.Changeable() {
		return cur, 0, ErrLocked
	}
	if in.Cancels() {
		a, err := cancel(ctx, tx, cur, application.ByFacility, accountID)
		return a, application.Cancelled, err
	}
	a, err := update(ctx, tx, cur, accountID, in)
	return a, application.Changed, err
}

func insert(ctx context.Context, tx pgx.Tx, facilityID, accountID int64, in Input) (Application, error) {
	s, d := in.Survey, in.Delivery
	ref, err := application.NewReference(ctx, tx, Kind, time.Now())
	if err != nil {
		return Application{}, err
	}
	a, err := scanApplication(tx.QueryRow(ctx, `INSERT INTO cardreader_applications
		(reference, facility_id, account_id, intro_year, intro_month, online_claim, online_claim_year, online_claim_month,
		 emr, emr_year, emr_month, dispensing, dispensing_year, dispensing_month,
		 delivery_change, delivery_postal, delivery_pref, delivery_address, delivery_building,
		 delivery_name, delivery_phone, delivery_contact)
		VALUES ($22, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
		RETURNING `+applicationColumns,
		facilityID, accountID, s.IntroYear, s.IntroMonth, s.OnlineClaim, nullInt(s.OnlineClaimYear), nullInt(s.OnlineClaimMonth),
		nullString(s.EMR), nullInt(s.EMRYear), nullInt(s.EMRMonth), nullString(s.Dispensing), nullInt(s.DispensingYear), nullInt(s.DispensingMonth),
		d.Change, d.Postal, nullInt(d.PrefectureCode), d.Address, d.Building, d.Name, d.Phone, d.Contact, ref))
	if err != nil {
		return a, err
	}
	if err := saveItems(ctx, tx, a.ID, in.Items); err != nil {
		return a, err
	}
	a.Input.Items = in.Items
	return a, addEvent(ctx, tx, a, application.ByFacility, accountID, ActionApply, itemSummary(ctx, tx, in.Items))
}

func update(ctx context.Context, tx pgx.Tx, cur Application, accountID int64, in Input) (Application, error) {
	s, d := in.Survey, in.Delivery
	a, err := scanApplication(tx.QueryRow(ctx, `UPDATE cardreader_applications SET
		intro_year = $2, intro_month = $3, online_claim = $4, online_claim_year = $5, online_claim_month = $6,
		emr = $7, emr_year = $8, emr_month = $9, dispensing = $10, dispensing_year = $11, dispensing_month = $12,
		delivery_change = $13, delivery_postal = $14, delivery_pref = $15, delivery_address = $16, delivery_building = $17,
		delivery_name = $18, delivery_phone = $19, delivery_contact = $20, account_id = $21, updated_at = now()
		WHERE id = $1 RETURNING `+applicationColumns,
		cur.ID, s.IntroYear, s.IntroMonth, s.OnlineClaim, nullInt(s.OnlineClaimYear), nullInt(s.OnlineClaimMonth),
		nullString(s.EMR), nullInt(s.EMRYear), nullInt(s.EMRMonth), nullString(s.Dispensing), nullInt(s.DispensingYear), nullInt(s.DispensingMonth),
		d.Change, d.Postal, nullInt(d.PrefectureCode), d.Address, d.Building, d.Name, d.Phone, d.Contact, accountID))
	if err != nil {
		return a, fmt.Errorf("cardreader: change: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM cardreader_application_items WHERE application_id = $1`, cur.ID); err != nil {
		return a, fmt.Errorf("cardreader: change items: %w", err)
	}
	if err := saveItems(ctx, tx, a.ID, in.Items); err != nil {
		return a, err
	}
	a.Input.Items = in.Items
	return a, addEvent(ctx, tx, a, application.ByFacility, accountID, ActionChange, itemSummary(ctx, tx, in.Items))
}

func cancel(ctx context.Context, tx pgx.Tx, cur Application, actor application.Actor, actorID int64) (Application, error) {
	a, err := scanApplication(tx.QueryRow(ctx, `UPDATE cardreader_applications SET status = '取消',
		cancelled_at = now(), updated_at = now() WHERE id = $1 RETURNING `+applicationColumns, cur.ID))
	if err != nil {
		return a, fmt.Errorf("cardreader: cancel: %w", err)
	}
	a.Input.Items = cur.Input.Items
	return a, addEvent(ctx, tx, a, actor, actorID, ActionCancel, "")
}

// Cancel cancels the facility's live application (the 「申込を取り消す」 button).
func Cancel(ctx context.Context, tx pgx.Tx, facilityID, accountID int64) (Application, error) {
	cur, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM cardreader_applications
		WHERE facility_id = $1 AND status <> '取消' FOR UPDATE`, facilityID))
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return cur, ErrNothingToCancel
		}
		return cur, fmt.Errorf("cardreader: cancel: %w", err)
	}
	if !cur.Changeable() {
		return cur, ErrLocked
	}
	if err := loadItems(ctx, tx, &cur); err != nil {
		return cur, err
	}
	return cancel(ctx, tx, cur, application.ByFacility, accountID)
}

func saveItems(ctx context.Context, tx pgx.Tx, id int64, items [Slots]Item) error {
	for i, it := range items {
		if !it.Used() {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO cardreader_application_items (application_id, slot, model_id, quantity)
			VALUES ($1, $2, $3, $4)`, id, i+1, it.ModelID, it.Quantity); err != nil {
			return fmt.Errorf("cardreader: save items: %w", err)
		}
	}
	return nil
}

// itemSummary describes the readers for the history, e.g. "富士通Japan／Caora 1台".
func itemSummary(ctx context.Context, db database.DB, items [Slots]Item) string {
	var parts []string
	for _, it := range items {
		if !it.Used() {
			continue
		}
		var label string
		if err := db.QueryRow(ctx, `SELECT maker || '／' || product FROM card_reader_models WHERE id = $1`, it.ModelID).Scan(&label); err != nil {
			label = fmt.Sprintf("#%d", it.ModelID)
		}
		parts = append(parts, fmt.Sprintf("%s %d台", label, it.Quantity))
	}
	return strings.Join(parts, "、")
}

func addEvent(ctx context.Context, db database.DB, a Application, by application.Actor, actorID int64, action, detail string) error {
	return application.AddEvent(ctx, db, application.Step{Kind: Kind, ApplicationID: a.ID, FacilityID: a.FacilityID,
		Reference: a.Reference, By: by, ActorID: actorID, Action: action, Detail: detail})
}

// History returns the application's events, oldest first, operators named.
func History(ctx context.Context, db database.DB, id int64) ([]application.Event, error) {
	return application.History(ctx, db, Kind, id)
}

// SetDeliveryDate records the 配送予定日 an operator set (受付済 → 配送予定日決定; from then
// on the facility can no longer change or cancel) or corrected (a new date while 配送予定日決定).
// It returns the application and the date it had before, nil for a first date. The same
// date again is ErrSameDate; any other status ErrBadTransition.
func SetDeliveryDate(ctx context.Context, tx pgx.Tx, id int64, date time.Time, operatorID int64) (Application, *time.Time, error) {
	cur, err := scanApplication(tx.QueryRow(ctx, `SELECT `+applicationColumns+` FROM cardreader_applications WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return cur, nil, err
		}
		return cur, nil, fmt.Errorf("cardreader: set delivery date: %w", err)
	}
	action, detail := ActionSchedule, jp.Date(date)
	if cur.Status == StatusScheduled {
		action = ActionCorrect
		if cur.DeliveryDate != nil && jp.ISODate(*cur.DeliveryDate) == jp.ISODate(date) {
			return cur, nil, ErrSameDate
		}
		if cur.DeliveryDate != nil {
			detail = jp.Date(*cur.DeliveryDate) + " → " + jp.Date(date)
		}
	}
	to, err := Kind.Next(cur.Status, action, application.ByOperator)
	if err != nil {
		return cur, nil, ErrBadTransition
	}
	a, err := scanApplication(tx.QueryRow(ctx, `UPDATE cardreader_applications
		SET delivery_date = $2, status = $3, updated_at = now() WHERE id = $1 RETURNING `+applicationColumns, id, date, to))
	if err != nil {
		return a, nil, fmt.Errorf("cardreader: set delivery date: %w", err)
	}
	return a, cur.DeliveryDate, addEvent(ctx, tx, a, application.ByOperator, operatorID, action, detail)
}

// MarkShipped records that the readers left the maker (発送済).
func MarkShipped(ctx context.Context, tx pgx.Tx, id int64, operatorID int64) (Application, error) {
	a, err := scanApplication(tx.QueryRow(ctx, `UPDATE cardreader_applications
		SET status = $2, shipped_at = now(), updated_at = now()
		WHERE id = $1 AND status = ANY($3) RETURNING `+applicationColumns, id,
		StatusShipped, Kind.From(ActionShip, application.ByOperator)))
	if errors.Is(err, ErrNotFound) {
		return a, notFoundOrBadTransition(ctx, tx, id)
	}
	if err != nil {
		return a, fmt.Errorf("cardreader: mark shipped: %w", err)
	}
	return a, addEvent(ctx, tx, a, application.ByOperator, operatorID, ActionShip, "")
}

func notFoundOrBadTransition(ctx context.Context, db database.DB, id int64) error {
	var exists bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cardreader_applications WHERE id = $1)`, id).Scan(&exists); err != nil {
		return fmt.Errorf("cardreader: %w", err)
	}
	if exists {
		return ErrBadTransition
	}
	return ErrNotFound
}
