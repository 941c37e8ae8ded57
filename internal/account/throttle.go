package account

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The lock-out of facility sign-in (MaxFailures within LockWindow lock for LockFor), offered
// to the other sign-ins of the portal (operators) so every login obeys one policy held in
// one table. Callers namespace their keys (e.g. "operator:"+login) so a facility login and
// an operator login never share a counter.

// ThrottleLockedUntil returns when the lock on key ends, or the zero time when key is not locked.
func ThrottleLockedUntil(ctx context.Context, pool *pgxpool.Pool, key string) (time.Time, error) {
	return lockedUntil(ctx, pool, key)
}

// ThrottleFailure counts one failed sign-in for key and returns the lock's end when this
// failure reached the limit, else the zero time.
func ThrottleFailure(ctx context.Context, pool *pgxpool.Pool, key string) (time.Time, error) {
	return recordFailure(ctx, pool, key)
}

// ThrottleClear forgets the failures of key after a successful sign-in.
func ThrottleClear(ctx context.Context, pool *pgxpool.Pool, key string) error {
	if _, err := pool.Exec(ctx, `DELETE FROM login_throttle WHERE login = $1`, key); err != nil {
		return fmt.Errorf("account: clear throttle: %w", err)
	}
	return nil
}
