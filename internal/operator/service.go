package operator

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/ratelimit"
)

// ErrStalePending means the operator's password or factor changed between the password
// step and the code step (a supervisor reset it): the sign-in starts again.
var ErrStalePending = errors.New("operator: sign-in outdated, start again")

// Service runs the operators' own steps (sign-in with the second factor, sign-out,
// password change) and the supervisors' management of operator accounts. Every step is one
// call: its transaction, rules and audit entry inside. (The audit trail is read through
// package auditlog.)
type Service struct {
	db     *pgxpool.Pool
	limits *ratelimit.Limiter
	// key seals the TOTP secrets at rest (derived from SESSION_SECRET).
	key []byte
	// Now is the clock of the second factor; tests set it.
	Now func() time.Time
}

// NewService returns the operator service on db; sessionSecret (SESSION_SECRET) keys the
// sealing of the operators' TOTP secrets.
func NewService(db *pgxpool.Pool, limits *ratelimit.Limiter, sessionSecret []byte) *Service {
	return &Service{db: db, limits: limits, key: sealKey(sessionSecret), Now: time.Now}
}

// ByID returns an operator.
func (s *Service) ByID(ctx context.Context, id int64) (Operator, error) { return ByID(ctx, s.db, id) }

// List returns every operator (オペレーター管理).
func (s *Service) List(ctx context.Context) ([]Operator, error) { return List(ctx, s.db) }

// allow checks the sign-in limits of client (the client's address) and of the whole
// portal, which facility sign-in shares, before any hash or code is checked. Over a limit
// the error is a *ratelimit.Exceeded.
func (s *Service) allow(ctx context.Context, client string) error {
	return s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.SignInPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.SignInOverall})
}

// SignIn is the first step of a back-office sign-in: the login and password under the
// lock-out policy (see SignIn), behind the sign-in limits. It returns the operator whose
// second factor comes next; nothing is signed in yet.
func (s *Service) SignIn(ctx context.Context, login, plain, client string) (Operator, error) {
	if err := s.allow(ctx, client); err != nil {
		return Operator{}, err
	}
	return SignIn(ctx, s.db, login, plain)
}

// pending loads the operator between the two steps and checks it may go on: still active,
// still the same password and factor as when the password was checked (version), and not
// locked out.
func (s *Service) pending(ctx context.Context, id int64, version int) (Operator, error) {
	o, err := ByID(ctx, s.db, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return o, ErrStalePending
	case err != nil:
		return o, err
	case o.SessionVersion != version:
		return o, ErrStalePending
	case !o.Active():
		return o, ErrDisabled
	}
	until, err := lockedUntil(ctx, s.db, o.Login)
	if err != nil {
		return o, err
	}
	if !until.IsZero() {
		return o, &account.LockedError{Until: until}
	}
	return o, nil
}

// Enrolment returns the secret and QR code an operator without a second factor sets up,
// for the operator id whose password was checked under version.
func (s *Service) Enrolment(ctx context.Context, id int64, version int) (Enrolment, error) {
	o, err := s.pending(ctx, id, version)
	if err != nil {
		return Enrolment{}, err
	}
	var e Enrolment
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		o, err := byIDForUpdate(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		e, err = beginEnrolment(ctx, tx, s.key, o)
		return err
	})
	return e, err
}

// Enrol completes the enrolment with the first code of the new factor: the factor is set
// up, ten recovery codes are made (returned once, stored hashed), the operator is signed in
// (audited) and the returned Operator carries the session version to start the session
// with. Wrong codes count towards the login's lock-out.
func (s *Service) Enrol(ctx context.Context, id int64, version int, code, client string) (Operator, []string, error) {
	if err := s.allow(ctx, client); err != nil {
		return Operator{}, nil, err
	}
	o, err := s.pending(ctx, id, version)
	if err != nil {
		return o, nil, err
	}
	var codes []string
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := byIDForUpdate(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if cur.Enrolled() {
			return ErrEnrolled
		}
		secret, err := secretOf(ctx, tx, s.key, o.ID)
		if err != nil {
			return err
		}
		used := int64(0)
		if secret != "" {
			used = matchStep(secret, normaliseCode(code), s.Now())
		}
		if used == 0 {
			return ErrBadCode
		}
		if codes, err = setFactor(ctx, tx, s.key, o.ID, secret, used); err != nil {
			return err
		}
		if err := Record(ctx, tx, o.ID, ActionEnrolled, TargetOperator, o.ID, nil); err != nil {
			return err
		}
		return s.signedIn(ctx, tx, o, false)
	})
	if err != nil {
		return o, nil, s.codeFailed(ctx, o, err)
	}
	if err := account.ThrottleClear(ctx, s.db, codeThrottleKey(o.Login)); err != nil {
		return o, nil, err
	}
	o, err = ByID(ctx, s.db, o.ID)
	return o, codes, err
}

// SecondFactor is the second step of a sign-in: the authenticator's current code (each
// step once: a code seen again is refused) or one unused recovery code. Wrong codes count
// towards the login's lock-out; the right one signs the operator in (audited).
func (s *Service) SecondFactor(ctx context.Context, id int64, version int, code, client string) (Operator, error) {
	if err := s.allow(ctx, client); err != nil {
		return Operator{}, err
	}
	o, err := s.pending(ctx, id, version)
	if err != nil {
		return o, err
	}
	if !o.Enrolled() {
		return o, ErrNotEnrolled
	}
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		recovery, err := checkCode(ctx, tx, s.key, o, code, s.Now())
		if err != nil {
			return err
		}
		return s.signedIn(ctx, tx, o, recovery)
	})
	if err != nil {
		return o, s.codeFailed(ctx, o, err)
	}
	return o, account.ThrottleClear(ctx, s.db, codeThrottleKey(o.Login))
}

// signedIn records a completed sign-in in tx.
func (s *Service) signedIn(ctx context.Context, tx pgx.Tx, o Operator, recovery bool) error {
	if recovery {
		if err := Record(ctx, tx, o.ID, ActionRecoveryCodeUsed, TargetOperator, o.ID, nil); err != nil {
			return err
		}
	}
	if err := markSignedIn(ctx, tx, o.ID); err != nil {
		return err
	}
	return Record(ctx, tx, o.ID, ActionSignIn, TargetOperator, o.ID, nil)
}

// codeFailed counts a wrong or replayed code towards the lock-out and audits it; other
// errors pass through. A code that reached the limit gives *account.LockedError.
func (s *Service) codeFailed(ctx context.Context, o Operator, err error) error {
	if !errors.Is(err, ErrBadCode) && !errors.Is(err, ErrReplayedCode) {
		return err
	}
	until, ferr := account.ThrottleFailure(ctx, s.db, codeThrottleKey(o.Login))
	if ferr != nil {
		return ferr
	}
	detail := map[string]any{"locked": !until.IsZero(), "replay": errors.Is(err, ErrReplayedCode)}
	if rerr := Record(ctx, s.db, o.ID, ActionCodeFailed, TargetOperator, o.ID, detail); rerr != nil {
		return rerr
	}
	if !until.IsZero() {
		return &account.LockedError{Until: until}
	}
	return err
}

// SignOut records the sign-out in the audit trail.
func (s *Service) SignOut(ctx context.Context, o Operator) error {
	return Record(ctx, s.db, o.ID, ActionSignOut, TargetOperator, o.ID, nil)
}
