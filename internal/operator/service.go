package operator

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/ratelimit"
)

// Service runs the operators' steps that cost a password hash behind the portal's limits.
type Service struct {
	db     *pgxpool.Pool
	limits *ratelimit.Limiter
}

// NewService returns the operator service.
func NewService(db *pgxpool.Pool, limits *ratelimit.Limiter) *Service {
	return &Service{db: db, limits: limits}
}

// SignIn is SignIn behind the sign-in limits of client (the client's address) and of the
// whole portal, which facility sign-in shares, checked before the password hash is spent.
// Over a limit the error is a *ratelimit.Exceeded.
func (s *Service) SignIn(ctx context.Context, login, plain, client string) (Operator, error) {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.SignInPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.SignInOverall})
	if err != nil {
		return Operator{}, err
	}
	return SignIn(ctx, s.db, login, plain)
}
