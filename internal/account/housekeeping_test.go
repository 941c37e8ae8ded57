package account_test

import (
	"context"
	"testing"

	"portal/internal/account"
	"portal/internal/testdb"
)

func TestPruneThrottleKeepsLiveCounters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	_, err := db.Exec(ctx, `INSERT INTO login_throttle (login, failures, window_start, locked_until) VALUES
		('old', 2, now() - interval '2 days', NULL),
		('old-lock-over', 5, now() - interval '2 days', now() - interval '1 day'),
		('recent', 1, now(), NULL),
		('locked', 5, now() - interval '2 days', now() + interval '10 minutes')`)
	if err != nil {
		t.Fatal(err)
	}
	n, err := account.PruneThrottle(ctx, db)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	var left []string
	rows, _ := db.Query(ctx, `SELECT login FROM login_throttle ORDER BY login`)
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		left = append(left, s)
	}
	if len(left) != 2 || left[0] != "locked" || left[1] != "recent" {
		t.Fatalf("left %v", left)
	}
}
