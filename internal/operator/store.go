package operator

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

const columns = `id, login, name, role, password_hash, created_at`

func scan(row pgx.Row) (Operator, error) {
	var o Operator
	err := row.Scan(&o.ID, &o.Login, &o.Name, &o.Role, &o.passwordHash, &o.CreatedAt)
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

// ByLogin returns the operator whose login is exactly login.
func ByLogin(ctx context.Context, db database.DB, login string) (Operator, error) {
	o, err := scan(db.QueryRow(ctx, `SELECT `+columns+` FROM operators WHERE login = $1`, login))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return o, fmt.Errorf("operator: by login: %w", err)
	}
	return o, err
}

// Create inserts an operator; ErrLoginTaken when the login is in use.
func Create(ctx context.Context, db database.DB, n NewOperator) (Operator, error) {
	if !n.Role.Valid() {
		return Operator{}, fmt.Errorf("operator: create: unknown role %q", n.Role)
	}
	o, err := scan(db.QueryRow(ctx, `INSERT INTO operators (login, name, role, password_hash)
		VALUES ($1, $2, $3, $4) RETURNING `+columns, n.Login, n.Name, n.Role, n.PasswordHash))
	if database.IsUniqueViolation(err, "operators_login_key") {
		return Operator{}, ErrLoginTaken
	}
	if err != nil {
		return Operator{}, fmt.Errorf("operator: create: %w", err)
	}
	return o, nil
}
