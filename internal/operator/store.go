package operator

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

const columns = `id, login, name, role, password_hash, created_at, session_version, disabled_at,
	must_change_password, password_changed_at, last_signin_at, totp_enrolled_at`

func scan(row pgx.Row) (Operator, error) {
	var o Operator
	err := row.Scan(&o.ID, &o.Login, &o.Name, &o.Role, &o.passwordHash, &o.CreatedAt, &o.SessionVersion, &o.DisabledAt,
		&o.MustChangePassword, &o.PasswordChangedAt, &o.LastSignInAt, &o.EnrolledAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Operator{}, ErrNotFound
	}
	return o, err
}

// ByID returns an operator.
func ByID(ctx context.Context, db database.DB, id int64) (Operator, error) {
	o, err := scan(db.QueryRow(ctx, `SELECT `+columns+` FROM operators WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return o, fmt.Errorf("operator: by id: %w", err)
	}
	return o, err
}

// byIDForUpdate returns an operator locked for the rest of tx.
func byIDForUpdate(ctx context.Context, tx pgx.Tx, id int64) (Operator, error) {
	o, err := scan(tx.QueryRow(ctx, `SELECT `+columns+` FROM operators WHERE id = $1 FOR UPDATE`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return o, fmt.Errorf("operator: lock %d: %w", id, err)
	}
	return o, err
}

// ByLogin returns the operator whose login is exactly login.
func ByLogin(ctx context.Context, db database.DB, login string) (Operator, error) {
	o, err := scan(db.QueryRow(ctx, `SELECT `+columns+` FROM operators WHERE login = $1`, login))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return o, fmt.Errorf("operator: by login: %w", err)
	}
	return o, err
}

// List returns every operator: active ones first, then by role (supervisors first) and
// login. The call center has tens of operators, not thousands, so there is no paging.
func List(ctx context.Context, db database.DB) ([]Operator, error) {
	rows, err := db.Query(ctx, `SELECT `+columns+` FROM operators
		ORDER BY disabled_at IS NOT NULL, role = 'operator', login`)
	if err != nil {
		return nil, fmt.Errorf("operator: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Operator, error) { return scan(r) })
	if err != nil {
		return nil, fmt.Errorf("operator: list: %w", err)
	}
	return list, nil
}

// Create inserts an operator; ErrLoginTaken when the login is in use.
func Create(ctx context.Context, db database.DB, n NewOperator) (Operator, error) {
	if !n.Role.Valid() {
		return Operator{}, fmt.Errorf("operator: create: unknown role %q", n.Role)
	}
	o, err := scan(db.QueryRow(ctx, `INSERT INTO operators (login, name, role, password_hash, must_change_password)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+columns, n.Login, n.Name, n.Role, n.PasswordHash, n.MustChangePassword))
	if database.IsUniqueViolation(err, "operators_login_key") {
		return Operator{}, ErrLoginTaken
	}
	if err != nil {
		return Operator{}, fmt.Errorf("operator: create: %w", err)
	}
	return o, nil
}

// setPassword stores a new password hash and ends the operator's sessions; temporary
// marks a password a supervisor chose, to be replaced at the next sign-in.
func setPassword(ctx context.Context, db database.DB, id int64, hash string, temporary bool) (Operator, error) {
	o, err := scan(db.QueryRow(ctx, `UPDATE operators SET password_hash = $2, must_change_password = $3,
		password_changed_at = now(), session_version = session_version + 1 WHERE id = $1 RETURNING `+columns, id, hash, temporary))
	if err != nil {
		return o, fmt.Errorf("operator: set password: %w", err)
	}
	return o, nil
}

// markSignedIn records the time of a completed sign-in (password and second factor).
func markSignedIn(ctx context.Context, db database.DB, id int64) error {
	if _, err := db.Exec(ctx, `UPDATE operators SET last_signin_at = now() WHERE id = $1`, id); err != nil {
		return fmt.Errorf("operator: mark signed in: %w", err)
	}
	return nil
}
