package operator

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// EnrolKnownSecret sets up the operator's second factor with a secret chosen in advance,
// without the first code an enrolment asks for. Only `portal seed-demo` (the demo
// operators' published development secret) and tests call it; a real operator's secret is
// drawn at the enrolment and never leaves the server but as its QR code.
// db is a pool or the caller's transaction (seed-demo's).
func EnrolKnownSecret(ctx context.Context, db interface {
	Begin(context.Context) (pgx.Tx, error)
}, sessionSecret []byte, id int64, secret string) error {
	if _, err := CodeAt(secret, time.Now()); err != nil {
		return fmt.Errorf("operator: known secret: %w", err)
	}
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		_, err := setFactor(ctx, tx, sealKey(sessionSecret), id, secret, 0)
		return err
	})
}

// CurrentCode returns the code the operator's authenticator shows now. It is for tests
// and for `portal operator totp-code` on a development machine.
func CurrentCode(ctx context.Context, db database.DB, sessionSecret []byte, login string, now time.Time) (string, error) {
	o, err := ByLogin(ctx, db, login)
	if err != nil {
		return "", err
	}
	secret, err := secretOf(ctx, db, sealKey(sessionSecret), o.ID)
	if err != nil {
		return "", err
	}
	if secret == "" {
		return "", ErrNotEnrolled
	}
	return CodeAt(secret, now)
}
