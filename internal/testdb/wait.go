package testdb

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// WaitForLock returns once a session of db's database waits for a lock: a test holding a
// row in an open transaction knows the step it started in a goroutine has reached it. It
// fails the test if none does within a minute (a wait for a condition, not a timing).
func WaitForLock(t testing.TB, db *pgxpool.Pool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var waiting bool
		if err := db.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			return
		}
	}
	t.Fatal("testdb: no session waited for a lock")
}
