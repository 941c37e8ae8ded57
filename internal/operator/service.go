package operator

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/ratelimit"
)

// Service runs the operators' own steps (sign-in, sign-out) and reads their audit trail.
type Service struct {
	db     *pgxpool.Pool
	limits *ratelimit.Limiter
}

// NewService returns the operator service on db.
func NewService(db *pgxpool.Pool, limits *ratelimit.Limiter) *Service {
	return &Service{db: db, limits: limits}
}

// ByID returns an operator.
func (s *Service) ByID(ctx context.Context, id int64) (Operator, error) { return ByID(ctx, s.db, id) }

// SignIn checks a login and password under the lock-out policy (see SignIn), behind the
// sign-in limits of client (the client's address) and of the whole portal, which facility
// sign-in shares, checked before the password hash is spent; when they are right, the
// sign-in is recorded in the audit trail. Over a limit the error is a *ratelimit.Exceeded.
func (s *Service) SignIn(ctx context.Context, login, plain, client string) (Operator, error) {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.SignInPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.SignInOverall})
	if err != nil {
		return Operator{}, err
	}
	o, err := SignIn(ctx, s.db, login, plain)
	if err != nil {
		return o, err
	}
	return o, Record(ctx, s.db, o.ID, ActionSignIn, TargetOperator, o.ID, nil)
}

// SignOut records the sign-out in the audit trail.
func (s *Service) SignOut(ctx context.Context, o Operator) error {
	return Record(ctx, s.db, o.ID, ActionSignOut, TargetOperator, o.ID, nil)
}

// Audit returns audit entries, newest first.
func (s *Service) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	return AuditEntries(ctx, s.db, q)
}
