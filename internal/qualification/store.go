package qualification

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/database"
)

const columns = `id, reference, facility_id, account_id, status, line_type, provider, customer_id,
	start_year, start_month, test_year, test_month, submitted_at, approved_at, returned_at, return_reason,
	created_at, updated_at`

func scan(row pgx.Row) (Application, error) {
	var a Application
	var ty, tm *int
	in := &a.Input
	err := row.Scan(&a.ID, &a.Reference, &a.FacilityID, &a.AccountID, &a.Status, &in.LineType, &in.Provider, &in.CustomerID,
		&in.StartYear, &in.StartMonth, &ty, &tm, &a.SubmittedAt, &a.ApprovedAt, &a.ReturnedAt, &a.ReturnReason,
		&a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	if ty != nil && tm != nil {
		in.TestYear, in.TestMonth = *ty, *tm
	}
	return a, err
}

func nullInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// ForFacility returns the facility's 利用申請, or ErrNotFound. Facility pages read it only
// through this, so they never see another's.
func ForFacility(ctx context.Context, db database.DB, facilityID int64) (Application, error) {
	a, err := scan(db.QueryRow(ctx, `SELECT `+columns+` FROM qualification_applications WHERE facility_id = $1`, facilityID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("qualification: of facility %d: %w", facilityID, err)
	}
	return a, err
}

// ByID returns one application.
func ByID(ctx context.Context, db database.DB, id int64) (Application, error) {
	a, err := scan(db.QueryRow(ctx, `SELECT `+columns+` FROM qualification_applications WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("qualification: %d: %w", id, err)
	}
	return a, err
}

// submit stores in for the facility in tx (which holds the facility's lock): a new
// application, a change of one waiting for approval, or the resubmission of one sent back.
func submit(ctx context.Context, tx pgx.Tx, facilityID, accountID int64, in Input, now time.Time) (Application, application.Outcome, error) {
	cur, err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM qualification_applications WHERE facility_id = $1 FOR UPDATE`, facilityID))
	switch {
	case errors.Is(err, ErrNotFound):
		ref, err := application.NewReference(ctx, tx, Kind, now)
		if err != nil {
			return Application{}, 0, err
		}
		a, err := scan(tx.QueryRow(ctx, `INSERT INTO qualification_applications
			(reference, facility_id, account_id, status, line_type, provider, customer_id, start_year, start_month, test_year, test_month)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING `+columns,
			ref, facilityID, accountID, StatusSubmitted, in.LineType, in.Provider, in.CustomerID, in.StartYear, in.StartMonth,
			nullInt(in.TestYear), nullInt(in.TestMonth)))
		if err != nil {
			return a, 0, fmt.Errorf("qualification: insert: %w", err)
		}
		return a, application.Created, addEvent(ctx, tx, a, application.ByFacility, accountID, ActionApply, "")
	case err != nil:
		return cur, 0, fmt.Errorf("qualification: submit: %w", err)
	}
	if cur.Input == in && cur.Status == StatusSubmitted {
		return cur, application.Unchanged, nil
	}
	action, outcome := ActionChange, application.Changed
	if cur.Status == StatusReturned {
		action, outcome = ActionResubmit, application.Resubmitted
	}
	to, err := Kind.Next(cur.Status, action, application.ByFacility)
	if err != nil {
		return cur, 0, ErrApproved
	}
	a, err := scan(tx.QueryRow(ctx, `UPDATE qualification_applications SET status = $2, line_type = $3, provider = $4,
		customer_id = $5, start_year = $6, start_month = $7, test_year = $8, test_month = $9, account_id = $10,
		submitted_at = CASE WHEN status = $11 THEN now() ELSE submitted_at END,
		returned_at = NULL, return_reason = '', updated_at = now()
		WHERE id = $1 RETURNING `+columns,
		cur.ID, to, in.LineType, in.Provider, in.CustomerID, in.StartYear, in.StartMonth, nullInt(in.TestYear), nullInt(in.TestMonth),
		accountID, StatusReturned))
	if err != nil {
		return a, 0, fmt.Errorf("qualification: change: %w", err)
	}
	return a, outcome, addEvent(ctx, tx, a, application.ByFacility, accountID, action, "")
}

// decide is an operator's approval (reason "") or sending back (with the reason).
func decide(ctx context.Context, tx pgx.Tx, id, operatorID int64, action, reason string) (Application, error) {
	to, err := Kind.Next(StatusSubmitted, action, application.ByOperator)
	if err != nil {
		return Application{}, err
	}
	a, err := scan(tx.QueryRow(ctx, `UPDATE qualification_applications SET status = $2,
		approved_at = CASE WHEN $2 = '承認済' THEN now() END,
		returned_at = CASE WHEN $2 = '差戻し' THEN now() END,
		return_reason = $3, updated_at = now()
		WHERE id = $1 AND status = ANY($4) RETURNING `+columns, id, to, reason, Kind.From(action, application.ByOperator)))
	if errors.Is(err, ErrNotFound) {
		if _, err := ByID(ctx, tx, id); err != nil {
			return a, err
		}
		return a, application.ErrNotAllowed
	}
	if err != nil {
		return a, fmt.Errorf("qualification: %s: %w", action, err)
	}
	return a, addEvent(ctx, tx, a, application.ByOperator, operatorID, action, reason)
}

func addEvent(ctx context.Context, db database.DB, a Application, by application.Actor, actorID int64, action, detail string) error {
	return application.AddEvent(ctx, db, application.Step{Kind: Kind, ApplicationID: a.ID, FacilityID: a.FacilityID,
		Reference: a.Reference, By: by, ActorID: actorID, Action: action, Detail: detail})
}
