package operator

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Service runs the operators' own steps (sign-in, sign-out) and reads their audit trail.
type Service struct{ db *pgxpool.Pool }

// NewService returns the operator service on db.
func NewService(db *pgxpool.Pool) *Service { return &Service{db: db} }

// ByID returns an operator.
func (s *Service) ByID(ctx context.Context, id int64) (Operator, error) { return ByID(ctx, s.db, id) }

// SignIn checks a login and password under the lock-out policy (see SignIn) and, when they
// are right, records the sign-in in the audit trail.
func (s *Service) SignIn(ctx context.Context, login, plain string) (Operator, error) {
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
