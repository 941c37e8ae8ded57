// Package ratelimit bounds how often a client, an e-mail address or the whole portal may do
// what sends mail or costs a password hash. Counters live in PostgreSQL, so every instance
// behind the load balancer shares them, and each check is one atomic statement, so a limit
// holds however many requests arrive at once.
//
// A limit is a named Limit (limits.go lists every one the portal uses); a domain service
// checks one or more before doing the costly work:
//
//	err := limiter.Allow(ctx,
//		ratelimit.Check{Limit: ratelimit.RegisterPerClient, Subject: client},
//		ratelimit.Check{Limit: ratelimit.RegisterPerAddress, Subject: email},
//		ratelimit.Check{Limit: ratelimit.MailOverall})
//	var ex *ratelimit.Exceeded
//	if errors.As(err, &ex) { … tell the user to come back after ex.RetryAfter … }
//
// Every attempt counts, refused ones included, so a client that keeps hammering stays
// refused. The count is a sliding-window estimate over two fixed windows (the previous
// window's count weighted by how much of it still overlaps), which smooths the burst a
// plain fixed window allows at its boundary.
package ratelimit

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// Limit is one named limit: at most Max attempts per subject within any span of Per.
type Limit struct {
	// Name identifies the limit in the counters table; never rename a limit in use.
	Name string
	// Max is how many attempts Per allows.
	Max int
	// Per is the window.
	Per time.Duration
}

// Check is one limit applied to one subject: a client address, an e-mail address, or ""
// for a limit over the whole portal.
type Check struct {
	Limit   Limit
	Subject string
}

// ErrLimited is what every *Exceeded matches with errors.Is.
var ErrLimited = errors.New("ratelimit: limit exceeded")

// Exceeded is returned when a check is over its limit.
type Exceeded struct {
	// Limit is the limit that refused.
	Limit Limit
	// RetryAfter is how long until an attempt may pass again (whole seconds, at least 1).
	RetryAfter time.Duration
}

func (e *Exceeded) Error() string {
	return fmt.Sprintf("ratelimit: %s exceeded (retry after %s)", e.Limit.Name, e.RetryAfter)
}

// Is makes errors.Is(err, ErrLimited) true for every *Exceeded.
func (e *Exceeded) Is(target error) bool { return target == ErrLimited }

// Limiter counts attempts in PostgreSQL.
type Limiter struct {
	db  database.DB
	key []byte
}

// New returns a limiter on db; key (SESSION_SECRET) keys the HMAC under which subjects are
// stored, so the counters table holds no address in the clear.
func New(db database.DB, key []byte) *Limiter {
	return &Limiter{db: db, key: key}
}

// count is the one statement of a check: bump this window's counter and read the previous
// window's beside it. The upsert serialises concurrent attempts on the row, so each sees a
// distinct count and no more than Max pass.
const count = `WITH cur AS (
		INSERT INTO rate_limit_counters AS c (name, subject, window_start, hits, expires_at)
		VALUES ($1, $2, date_bin($3::interval, now(), timestamptz '2000-01-01 00:00:00+00'), 1,
			date_bin($3::interval, now(), timestamptz '2000-01-01 00:00:00+00') + 2 * $3::interval)
		ON CONFLICT (name, subject, window_start) DO UPDATE SET hits = c.hits + 1
		RETURNING hits, window_start)
	SELECT cur.hits, coalesce(prev.hits, 0), extract(epoch FROM now() - cur.window_start)::float8
	FROM cur LEFT JOIN rate_limit_counters prev
		ON prev.name = $1 AND prev.subject = $2 AND prev.window_start = cur.window_start - $3::interval`

// Allow counts one attempt against every check and returns *Exceeded for the first check
// over its limit (nil when all pass). The checks go to PostgreSQL in one round trip, in a
// fixed order so that concurrent callers lock counters in the same order.
func (l *Limiter) Allow(ctx context.Context, checks ...Check) error {
	if len(checks) == 0 {
		return nil
	}
	sorted := slices.Clone(checks)
	slices.SortFunc(sorted, func(a, b Check) int {
		return cmp.Or(cmp.Compare(a.Limit.Name, b.Limit.Name), cmp.Compare(a.Subject, b.Subject))
	})
	b := &pgx.Batch{}
	for _, c := range sorted {
		b.Queue(count, c.Limit.Name, l.subject(c), c.Limit.Per.String())
	}
	res := l.db.SendBatch(ctx, b)
	var refused *Exceeded
	for _, c := range sorted {
		var cur, prev int
		var elapsed float64
		if err := res.QueryRow().Scan(&cur, &prev, &elapsed); err != nil {
			_ = res.Close()
			return fmt.Errorf("ratelimit: count %s: %w", c.Limit.Name, err)
		}
		if refused == nil && !within(c.Limit, cur, prev, elapsed) {
			refused = &Exceeded{Limit: c.Limit, RetryAfter: retryAfter(c.Limit, elapsed)}
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("ratelimit: count: %w", err)
	}
	if refused != nil {
		return refused
	}
	return nil
}

// subject is the stored form of a check's subject: an HMAC bound to the limit's name.
func (l *Limiter) subject(c Check) []byte {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(c.Limit.Name))
	m.Write([]byte{0})
	m.Write([]byte(c.Subject))
	return m.Sum(nil)
}

// within reports whether the attempt that made this window's count cur passes: the
// previous window's count prev weighs as much as it still overlaps the last Per.
func within(l Limit, cur, prev int, elapsed float64) bool {
	frac := min(max(elapsed/l.Per.Seconds(), 0), 1)
	return float64(prev)*(1-frac)+float64(cur) <= float64(l.Max)
}

// retryAfter is the time left in the current window, rounded up to whole seconds: by then
// this window's attempts only weigh partly.
func retryAfter(l Limit, elapsed float64) time.Duration {
	left := math.Ceil(l.Per.Seconds() - elapsed)
	return time.Duration(max(left, 1)) * time.Second
}

// Prune deletes counters that no longer weigh on any decision (two windows old); the
// housekeeping of portal serve runs it. It returns how many were deleted.
func Prune(ctx context.Context, db database.DB) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM rate_limit_counters WHERE expires_at < now()`)
	if err != nil {
		return 0, fmt.Errorf("ratelimit: prune: %w", err)
	}
	return tag.RowsAffected(), nil
}
