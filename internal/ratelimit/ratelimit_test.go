package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"portal/internal/ratelimit"
	"portal/internal/testdb"
)

var key = []byte("test-secret-test-secret-test-secret-0123")

// A limit lets Max attempts through, then refuses with how long to wait; other subjects and
// other limits keep their own counts.
func TestAllowCountsPerSubject(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := ratelimit.New(testdb.New(t), key)
	lim := ratelimit.Limit{Name: "test.subject", Max: 3, Per: time.Hour}
	for i := range 3 {
		if err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "203.0.113.7"}); err != nil {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "203.0.113.7"})
	var ex *ratelimit.Exceeded
	if !errors.As(err, &ex) || !errors.Is(err, ratelimit.ErrLimited) || ex.Limit.Name != lim.Name ||
		ex.RetryAfter < time.Second || ex.RetryAfter > time.Hour {
		t.Fatalf("fourth attempt: %v", err)
	}
	if err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "203.0.113.8"}); err != nil {
		t.Fatalf("another client: %v", err)
	}
	other := ratelimit.Limit{Name: "test.other", Max: 1, Per: time.Hour}
	if err := l.Allow(ctx, ratelimit.Check{Limit: other, Subject: "203.0.113.7"}); err != nil {
		t.Fatalf("another limit: %v", err)
	}
}

// With several checks, the first one over its limit answers, and every check counted the
// attempt.
func TestAllowSeveralChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := ratelimit.New(testdb.New(t), key)
	client := ratelimit.Limit{Name: "test.client", Max: 10, Per: time.Hour}
	address := ratelimit.Limit{Name: "test.address", Max: 2, Per: time.Hour}
	overall := ratelimit.Limit{Name: "test.overall", Max: 100, Per: time.Minute}
	checks := func(addr string) []ratelimit.Check {
		return []ratelimit.Check{{Limit: client, Subject: "c"}, {Limit: address, Subject: addr}, {Limit: overall}}
	}
	for range 2 {
		if err := l.Allow(ctx, checks("a@example.jp")...); err != nil {
			t.Fatal(err)
		}
	}
	var ex *ratelimit.Exceeded
	if err := l.Allow(ctx, checks("a@example.jp")...); !errors.As(err, &ex) || ex.Limit.Name != address.Name {
		t.Fatalf("third request for one address: %v", err)
	}
	// The client has now made three attempts of its ten.
	for i := range 7 {
		if err := l.Allow(ctx, checks("b"+string(rune('a'+i))+"@example.jp")...); err != nil {
			t.Fatalf("attempt %d: %v", i+4, err)
		}
	}
	if err := l.Allow(ctx, checks("z@example.jp")...); !errors.As(err, &ex) || ex.Limit.Name != client.Name {
		t.Fatalf("eleventh attempt of the client: %v", err)
	}
}

// The limit holds under concurrency: 30 requests at once for one address pass at most Max
// times (a count-then-insert let 6 of 30 through against a limit of 5).
func TestAllowHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	l := ratelimit.New(testdb.New(t), key)
	lim := ratelimit.Limit{Name: "test.concurrent", Max: 5, Per: time.Hour}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		allowed int
		errs    []error
	)
	start := make(chan struct{})
	for range 30 {
		wg.Go(func() {
			<-start
			err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "victim@example.jp"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				allowed++
			case !errors.Is(err, ratelimit.ErrLimited):
				errs = append(errs, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if allowed != lim.Max {
		t.Fatalf("%d of 30 allowed, limit %d", allowed, lim.Max)
	}
}

// The previous window still weighs: a burst at the end of one window does not buy a fresh
// allowance at the start of the next.
func TestAllowWeighsThePreviousWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	l := ratelimit.New(db, key)
	lim := ratelimit.Limit{Name: "test.sliding", Max: 5, Per: time.Hour}
	if err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "s"}); err != nil {
		t.Fatal(err)
	}
	// Move that counter into the previous window with a count far over the limit.
	if _, err := db.Exec(ctx, `UPDATE rate_limit_counters SET window_start = window_start - interval '1 hour',
		hits = 1000000 WHERE name = $1`, lim.Name); err != nil {
		t.Fatal(err)
	}
	if err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "s"}); !errors.Is(err, ratelimit.ErrLimited) {
		t.Fatalf("previous window ignored: %v", err)
	}
}

// Subjects are stored as HMACs, never in the clear; Prune drops counters two windows old.
func TestCountersHoldNoAddressesAndArePruned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	l := ratelimit.New(db, key)
	lim := ratelimit.Limit{Name: "test.prune", Max: 5, Per: time.Minute}
	if err := l.Allow(ctx, ratelimit.Check{Limit: lim, Subject: "someone@example.jp"}); err != nil {
		t.Fatal(err)
	}
	var clear bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rate_limit_counters
		WHERE position(convert_to('someone', 'UTF8') IN subject) > 0)`).Scan(&clear); err != nil || clear {
		t.Fatalf("address stored in the clear (%v)", err)
	}
	if n, err := ratelimit.Prune(ctx, db); err != nil || n != 0 {
		t.Fatalf("pruned a live counter: %d %v", n, err)
	}
	if _, err := db.Exec(ctx, `UPDATE rate_limit_counters SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if n, err := ratelimit.Prune(ctx, db); err != nil || n != 1 {
		t.Fatalf("prune: %d %v", n, err)
	}
}
