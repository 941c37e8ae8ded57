package account

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/password"
)

// Lock-out policy: MaxFailures failed sign-ins within LockWindow lock the login for LockFor.
const (
	MaxFailures = 5
	LockWindow  = 15 * time.Minute
	LockFor     = 15 * time.Minute
)

// HashSecret is the keyed hash under which provisional secrets are stored. They are random
// (>= 70 bits), so a fast HMAC is as safe as a slow hash and lets a batch issue 250,000.
func HashSecret(key []byte, secret string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(secret))
	return m.Sum(nil)
}

func verifyPassword(hash, plain string) (bool, error) { return password.Verify(hash, plain) }

// SignIn checks login (an e-mail address or a provisional ID; case-sensitive passwords) and
// plain. Unknown logins cost one argon2id verification, like a wrong password, and get the
// same ErrInvalidCredentials. Failures are counted per login in PostgreSQL, so the lock
// holds across instances; while locked it returns *LockedError even for the right password.
func SignIn(ctx context.Context, pool *pgxpool.Pool, key []byte, login, plain string) (Principal, error) {
	login = strings.TrimSpace(login)
	throttleKey := strings.ToLower(login)
	until, counted, err := throttleState(ctx, pool, throttleKey)
	if err != nil {
		return Principal{}, err
	}
	if !until.IsZero() {
		password.VerifyDummy(plain)
		return Principal{}, &LockedError{Until: until}
	}
	p, err := authenticate(ctx, pool, key, login, plain)
	if errors.Is(err, ErrInvalidCredentials) {
		until, ferr := recordFailure(ctx, pool, throttleKey)
		if ferr != nil {
			return Principal{}, ferr
		}
		if !until.IsZero() {
			return Principal{}, &LockedError{Until: until}
		}
		return Principal{}, err
	}
	if err != nil {
		return Principal{}, err
	}
	// The call center's facility page shows when the account last signed in.
	if p.AccountID != 0 {
		if _, err := pool.Exec(ctx, `UPDATE accounts SET last_sign_in_at = now() WHERE id = $1`, p.AccountID); err != nil {
			return Principal{}, fmt.Errorf("account: record sign-in: %w", err)
		}
	}
	// Most sign-ins follow no failure: only a login with a counter pays for the delete.
	if counted {
		if _, err := pool.Exec(ctx, `DELETE FROM login_throttle WHERE login = $1`, throttleKey); err != nil {
			return Principal{}, fmt.Errorf("account: clear throttle: %w", err)
		}
	}
	return p, nil
}

func authenticate(ctx context.Context, pool *pgxpool.Pool, key []byte, login, plain string) (Principal, error) {
	a, err := ByEmail(ctx, pool, login)
	switch {
	case err == nil:
		if !a.CheckPassword(plain) {
			return Principal{}, ErrInvalidCredentials
		}
		return Principal{AccountID: a.ID, FacilityID: a.FacilityID, SessionVersion: a.SessionVersion}, nil
	case !errors.Is(err, ErrNotFound):
		return Principal{}, err
	}
	var (
		id, facilityID int64
		stored         []byte
	)
	err = pool.QueryRow(ctx, `SELECT id, facility_id, secret_hash FROM provisional_credentials
		WHERE login_id = $1 AND used_at IS NULL AND deleted_at IS NULL`, login).Scan(&id, &facilityID, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		password.VerifyDummy(plain)
		return Principal{}, ErrInvalidCredentials
	}
	if err != nil {
		return Principal{}, fmt.Errorf("account: provisional lookup: %w", err)
	}
	// Provisional IDs are short and guessable; spend the same time as a password check.
	password.VerifyDummy(plain)
	if !hmac.Equal(stored, HashSecret(key, plain)) {
		return Principal{}, ErrInvalidCredentials
	}
	return Principal{ProvisionalID: id, FacilityID: facilityID}, nil
}

func lockedUntil(ctx context.Context, db *pgxpool.Pool, login string) (time.Time, error) {
	until, _, err := throttleState(ctx, db, login)
	return until, err
}

// throttleState returns when the lock on login ends (zero when it is not locked) and whether
// the login has a failure counter at all.
func throttleState(ctx context.Context, db *pgxpool.Pool, login string) (until time.Time, counted bool, err error) {
	var lockedUntil *time.Time
	err = db.QueryRow(ctx, `SELECT CASE WHEN locked_until > now() THEN locked_until END
		FROM login_throttle WHERE login = $1`, login).Scan(&lockedUntil)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("account: throttle: %w", err)
	case lockedUntil == nil:
		return time.Time{}, true, nil
	}
	return *lockedUntil, true, nil
}

// recordFailure counts a failure in one atomic statement and returns the lock's end when
// this failure reached the limit.
func recordFailure(ctx context.Context, db *pgxpool.Pool, login string) (time.Time, error) {
	var until *time.Time
	err := db.QueryRow(ctx, `
		INSERT INTO login_throttle AS t (login, failures, window_start, locked_until)
		VALUES ($1, 1, now(), CASE WHEN $3 <= 1 THEN now() + $4::interval END)
		ON CONFLICT (login) DO UPDATE SET
			failures = CASE WHEN t.window_start < now() - $2::interval THEN 1 ELSE t.failures + 1 END,
			window_start = CASE WHEN t.window_start < now() - $2::interval THEN now() ELSE t.window_start END,
			locked_until = CASE
				WHEN (CASE WHEN t.window_start < now() - $2::interval THEN 1 ELSE t.failures + 1 END) >= $3
				THEN now() + $4::interval ELSE t.locked_until END
		RETURNING CASE WHEN locked_until > now() THEN locked_until END`,
		login, LockWindow.String(), MaxFailures, LockFor.String()).Scan(&until)
	if err != nil {
		return time.Time{}, fmt.Errorf("account: record failure: %w", err)
	}
	if until == nil {
		return time.Time{}, nil
	}
	return *until, nil
}

// ProvisionalByID returns a live provisional credential.
func ProvisionalByID(ctx context.Context, db database.DB, id int64) (ProvisionalCredential, error) {
	var p ProvisionalCredential
	err := db.QueryRow(ctx, `SELECT id, facility_id, kind, login_id, issued_at FROM provisional_credentials
		WHERE id = $1 AND used_at IS NULL AND deleted_at IS NULL`, id).Scan(&p.ID, &p.FacilityID, &p.Kind, &p.LoginID, &p.IssuedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("account: provisional %d: %w", id, err)
	}
	return p, nil
}
