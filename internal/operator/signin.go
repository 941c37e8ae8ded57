package operator

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/password"
)

// throttleKey namespaces an operator login in the shared login_throttle table, so failures
// against an operator login never lock a facility and the other way round.
func throttleKey(login string) string { return "operator:" + strings.ToLower(login) }

// codeThrottleKey counts failed second-factor codes apart from failed passwords: a right
// password clears the password counter, and must not clear the count of wrong codes, or
// whoever knows the password could guess codes without end.
func codeThrottleKey(login string) string { return "operator-code:" + strings.ToLower(login) }

// SignIn checks an operator's login and password, the first of the two steps of a
// back-office sign-in, under the same lock-out as facility sign-in (account.MaxFailures
// failures within account.LockWindow lock the login for account.LockFor, counted in
// PostgreSQL so the lock holds across instances). An unknown login costs one argon2id
// verification and gets the same ErrInvalidCredentials as a wrong password; while locked
// the answer is *account.LockedError even for the right password, and so it is while the
// login's second factor is locked. A disabled operator with the right password gets
// ErrDisabled. Failures against an existing operator are written to the audit log.
//
// The password alone never opens the back office: the second factor follows (Service.Enrol
// for an operator without one yet, else Service.SecondFactor).
func SignIn(ctx context.Context, pool *pgxpool.Pool, login, plain string) (Operator, error) {
	key := throttleKey(login)
	until, err := lockedUntil(ctx, pool, login)
	if err != nil {
		return Operator{}, err
	}
	if !until.IsZero() {
		password.VerifyDummy(plain)
		return Operator{}, &account.LockedError{Until: until}
	}
	o, err := ByLogin(ctx, pool, login)
	switch {
	case errors.Is(err, ErrNotFound):
		password.VerifyDummy(plain)
	case err != nil:
		return Operator{}, err
	case o.CheckPassword(plain):
		if err := account.ThrottleClear(ctx, pool, key); err != nil {
			return Operator{}, err
		}
		if !o.Active() {
			return Operator{}, ErrDisabled
		}
		return o, nil
	}
	until, err = account.ThrottleFailure(ctx, pool, key)
	if err != nil {
		return Operator{}, err
	}
	if o.ID != 0 {
		detail := map[string]bool{"locked": !until.IsZero()}
		if err := Record(ctx, pool, o.ID, ActionSignInFailed, TargetOperator, o.ID, detail); err != nil {
			return Operator{}, err
		}
	}
	if !until.IsZero() {
		return Operator{}, &account.LockedError{Until: until}
	}
	return Operator{}, ErrInvalidCredentials
}

// lockedUntil is the later end of the login's password and second-factor locks, or zero.
func lockedUntil(ctx context.Context, pool *pgxpool.Pool, login string) (time.Time, error) {
	pw, err := account.ThrottleLockedUntil(ctx, pool, throttleKey(login))
	if err != nil {
		return time.Time{}, err
	}
	code, err := account.ThrottleLockedUntil(ctx, pool, codeThrottleKey(login))
	if err != nil {
		return time.Time{}, err
	}
	if code.After(pw) {
		return code, nil
	}
	return pw, nil
}
