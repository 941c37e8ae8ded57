package account

import (
	"context"
	"fmt"

	"portal/internal/database"
)

// PruneThrottle drops failure counters that no longer matter: unlocked, and whose window
// ended a day ago. Logins nobody has (typos, guesses) would otherwise stay for ever.
func PruneThrottle(ctx context.Context, db database.DB) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM login_throttle
		WHERE (locked_until IS NULL OR locked_until < now()) AND window_start < now() - interval '1 day'`)
	if err != nil {
		return 0, fmt.Errorf("account: prune throttle: %w", err)
	}
	return tag.RowsAffected(), nil
}
