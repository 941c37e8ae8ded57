package application

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/jp"
)

// NewReference draws the next 申込番号 of kind k: its prefix, the JST date it was made and
// a six-digit serial, e.g. CR261201-000042. The date is Japan's, so an application made
// at 08:00 JST carries today's date, not yesterday's (UTC).
func NewReference(ctx context.Context, db database.DB, k Kind, now time.Time) (string, error) {
	var n int64
	if err := db.QueryRow(ctx, `SELECT nextval($1::regclass)`, k.Sequence).Scan(&n); err != nil {
		return "", fmt.Errorf("application: %s reference: %w", k.Code, err)
	}
	return fmt.Sprintf("%s%s-%06d", k.Prefix, now.In(jp.Zone).Format("060102"), n), nil
}

// LockFacility serialises the steps of one facility inside tx: the second request of a
// double click waits for the first and then sees what it stored.
func LockFacility(ctx context.Context, tx pgx.Tx, facilityID int64) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM facilities WHERE id = $1 FOR UPDATE`, facilityID); err != nil {
		return fmt.Errorf("application: lock facility: %w", err)
	}
	return nil
}

// Event is one line of an application's history.
type Event struct {
	At   time.Time
	Kind string
	// Reference is the 申込番号 the event belongs to.
	Reference string
	Actor     Actor
	ActorID   int64
	// ActorName is the operator's name for an operator's step, empty for the facility.
	ActorName string
	Action    string
	Detail    string
}

// Who is how the history names the actor: 医療機関等 or the operator's name.
func (e Event) Who() string {
	if e.Actor == ByOperator {
		if e.ActorName != "" {
			return "コールセンター（" + e.ActorName + "）"
		}
		return "コールセンター"
	}
	return "医療機関等"
}

// Step is one recorded step of an application, for AddEvent.
type Step struct {
	Kind          Kind
	ApplicationID int64
	FacilityID    int64
	Reference     string
	By            Actor
	ActorID       int64
	Action        string
	Detail        string
}

// AddEvent records a step in the application's history, in the caller's transaction.
func AddEvent(ctx context.Context, db database.DB, s Step) error {
	if _, err := db.Exec(ctx, `INSERT INTO application_events
		(kind, application_id, facility_id, reference, actor, actor_id, action, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.Kind.Code, s.ApplicationID, s.FacilityID, s.Reference, string(s.By), s.ActorID, s.Action, s.Detail); err != nil {
		return fmt.Errorf("application: history: %w", err)
	}
	return nil
}

const eventColumns = `e.at, e.kind, e.reference, e.actor, e.actor_id, coalesce(o.name, ''), e.action, e.detail`

func scanEvents(rows pgx.Rows) ([]Event, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		var actor string
		err := r.Scan(&e.At, &e.Kind, &e.Reference, &actor, &e.ActorID, &e.ActorName, &e.Action, &e.Detail)
		e.Actor = Actor(actor)
		return e, err
	})
}

// events runs one query over the history with the operators' names joined.
func events(ctx context.Context, db database.DB, where string, args ...any) ([]Event, error) {
	rows, err := db.Query(ctx, `SELECT `+eventColumns+` FROM application_events e
		LEFT JOIN operators o ON e.actor = 'operator' AND o.id = e.actor_id `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("application: history: %w", err)
	}
	evs, err := scanEvents(rows)
	if err != nil {
		return nil, fmt.Errorf("application: history: %w", err)
	}
	return evs, nil
}

// History returns the events of one application of kind k, oldest first, operators named.
func History(ctx context.Context, db database.DB, k Kind, applicationID int64) ([]Event, error) {
	return events(ctx, db, `WHERE e.kind = $1 AND e.application_id = $2 ORDER BY e.at, e.id`, k.Code, applicationID)
}

// FacilityHistory returns the events of every application of kind k of a facility, oldest
// first (マイページ).
func FacilityHistory(ctx context.Context, db database.DB, k Kind, facilityID int64) ([]Event, error) {
	return events(ctx, db, `WHERE e.facility_id = $1 AND e.kind = $2 ORDER BY e.at, e.id`, facilityID, k.Code)
}

// AllFacilityHistory returns the events of every application of a facility, newest first
// (the operators' facility page), at most limit.
func AllFacilityHistory(ctx context.Context, db database.DB, facilityID int64, limit int) ([]Event, error) {
	return events(ctx, db, `WHERE e.facility_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2`, facilityID, limit)
}
