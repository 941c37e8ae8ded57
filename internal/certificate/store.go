package certificate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/database"
)

const columns = `c.id, c.application_id, a.reference, c.facility_id, c.purpose, c.name, c.status, c.requested_at,
	c.issued_at, c.revoke_requested_at, c.revoked_at, c.cancelled_at`

const from = ` FROM certificates c JOIN certificate_applications a ON a.id = c.application_id `

func scan(row pgx.Row) (Certificate, error) {
	var c Certificate
	err := row.Scan(&c.ID, &c.ApplicationID, &c.Reference, &c.FacilityID, &c.Purpose, &c.Name, &c.Status, &c.RequestedAt,
		&c.IssuedAt, &c.RevokeRequestedAt, &c.RevokedAt, &c.CancelledAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// forFacility is the facility's certificates, newest first.
const forFacility = `SELECT ` + columns + from + `WHERE c.facility_id = $1 ORDER BY c.requested_at DESC, c.id DESC`

// ForFacility returns every certificate of the facility, newest first. Facility pages read
// certificates only through this, queueForFacility and OfFacility, so they never see another's.
func ForFacility(ctx context.Context, db database.DB, facilityID int64) ([]Certificate, error) {
	rows, err := db.Query(ctx, forFacility, facilityID)
	if err != nil {
		return nil, fmt.Errorf("certificate: of facility: %w", err)
	}
	return collect(rows)
}

// queueForFacility is ForFacility on a batch: list is set once the batch is read.
func queueForFacility(b *pgx.Batch, facilityID int64, list *[]Certificate) {
	b.Queue(forFacility, facilityID).Query(func(rows pgx.Rows) (err error) {
		*list, err = collect(rows)
		return err
	})
}

func collect(rows pgx.Rows) ([]Certificate, error) {
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Certificate, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("certificate: of facility: %w", err)
	}
	return list, nil
}

// OfFacility returns one certificate if it is the facility's; another's is ErrNotFound,
// whatever id is sent.
func OfFacility(ctx context.Context, db database.DB, facilityID, id int64) (Certificate, error) {
	c, err := scan(db.QueryRow(ctx, `SELECT `+columns+from+`WHERE c.id = $1 AND c.facility_id = $2`, id, facilityID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return c, fmt.Errorf("certificate: %d: %w", id, err)
	}
	return c, err
}

// ByID returns one certificate (operators).
func ByID(ctx context.Context, db database.DB, id int64) (Certificate, error) {
	c, err := scan(db.QueryRow(ctx, `SELECT `+columns+from+`WHERE c.id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return c, fmt.Errorf("certificate: %d: %w", id, err)
	}
	return c, err
}

// liveNames returns the names of the facility's certificates in use.
func liveNames(ctx context.Context, db database.DB, facilityID int64) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT name FROM certificates WHERE facility_id = $1 AND status IN ('申請中', '発行済', '失効申請中')`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("certificate: names: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("certificate: names: %w", err)
	}
	return names, nil
}

// sameAsLast finds the facility's newest application when it asked for exactly reqs, all
// still requested: the second click of a double click.
func sameAsLast(ctx context.Context, tx pgx.Tx, facilityID int64, reqs []Request) (string, bool, error) {
	var appID int64
	var ref string
	err := tx.QueryRow(ctx, `SELECT id, reference FROM certificate_applications WHERE facility_id = $1
		ORDER BY created_at DESC, id DESC LIMIT 1`, facilityID).Scan(&appID, &ref)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("certificate: last application: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT purpose, name FROM certificates WHERE application_id = $1 AND status = '申請中' ORDER BY id`, appID)
	if err != nil {
		return "", false, fmt.Errorf("certificate: last application: %w", err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Request, error) {
		var q Request
		return q, r.Scan(&q.Purpose, &q.Name)
	})
	if err != nil || len(got) != len(reqs) {
		return "", false, err
	}
	for i := range got {
		if got[i] != reqs[i] {
			return "", false, nil
		}
	}
	return ref, true, nil
}

// insert stores one application asking for reqs (validated) in tx.
func insert(ctx context.Context, tx pgx.Tx, facilityID, accountID int64, reqs []Request, now time.Time) (string, error) {
	ref, err := application.NewReference(ctx, tx, Kind, now)
	if err != nil {
		return "", err
	}
	var appID int64
	if err := tx.QueryRow(ctx, `INSERT INTO certificate_applications (reference, facility_id, account_id)
		VALUES ($1, $2, $3) RETURNING id`, ref, facilityID, accountID).Scan(&appID); err != nil {
		return "", fmt.Errorf("certificate: insert: %w", err)
	}
	for _, r := range reqs {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO certificates (application_id, facility_id, purpose, name, status)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, appID, facilityID, r.Purpose, r.Name, StatusRequested).Scan(&id); err != nil {
			return "", fmt.Errorf("certificate: insert: %w", err)
		}
		if err := addEvent(ctx, tx, Certificate{ID: id, ApplicationID: appID, Reference: ref, FacilityID: facilityID, Request: r},
			application.ByFacility, accountID, ActionApply); err != nil {
			return "", err
		}
	}
	return ref, nil
}

// step moves one certificate by action, made by actor, if its status allows; the facility
// only reaches its own (facilityID 0 means an operator, who reaches any).
func step(ctx context.Context, tx pgx.Tx, id, facilityID int64, action string, by application.Actor, actorID int64) (Certificate, error) {
	cur, err := scan(tx.QueryRow(ctx, `SELECT `+columns+from+`WHERE c.id = $1 AND ($2 = 0 OR c.facility_id = $2) FOR UPDATE OF c`, id, facilityID))
	if err != nil {
		return cur, err
	}
	to, err := Kind.Next(cur.Status, action, by)
	if err != nil {
		return cur, ErrNotAllowed
	}
	c, err := scan(tx.QueryRow(ctx, `WITH u AS (UPDATE certificates SET status = $2,
		issued_at = CASE WHEN $2 = '発行済' THEN now() ELSE issued_at END,
		revoke_requested_at = CASE WHEN $2 = '失効申請中' THEN now() ELSE revoke_requested_at END,
		revoked_at = CASE WHEN $2 = '失効' THEN now() ELSE revoked_at END,
		cancelled_at = CASE WHEN $2 = '取消' THEN now() ELSE cancelled_at END,
		updated_at = now() WHERE id = $1 RETURNING *)
		SELECT `+columns+` FROM u c JOIN certificate_applications a ON a.id = c.application_id`, id, to))
	if err != nil {
		return c, fmt.Errorf("certificate: %s: %w", action, err)
	}
	return c, addEvent(ctx, tx, c, by, actorID, action)
}

func addEvent(ctx context.Context, db database.DB, c Certificate, by application.Actor, actorID int64, action string) error {
	return application.AddEvent(ctx, db, application.Step{Kind: Kind, ApplicationID: c.ApplicationID, FacilityID: c.FacilityID,
		Reference: c.Reference, By: by, ActorID: actorID, Action: action, Detail: c.Label()})
}
