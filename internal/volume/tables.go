package volume

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// step fills some tables, in its own transaction.
type step struct {
	name string
	// tables are the tables the step fills: Fill empties each of them first (with what
	// references them) and counts them at the end.
	tables []string
	fill   func(ctx context.Context, tx pgx.Tx, g *gen) error
}

// steps is everything the generator knows of the schema, in the order the fill runs (a
// step uses what the steps before it made). A table added to the portal is one more entry
// here and its fill function, which reads what the steps before it made from gen.
var steps = []step{
	{"catalog, news, operators", []string{"card_reader_models", "news", "operators", "operator_recovery_codes", "inquiry_templates"}, fillReference},
	{"facilities", []string{"facilities"}, fillFacilities},
	{"accounts", []string{"accounts"}, fillAccounts},
	{"provisional credentials", []string{"provisional_credentials"}, fillLetters},
	{"card reader applications", []string{"cardreader_applications", "cardreader_application_items"}, fillCardReader},
	{"利用申請", []string{"qualification_applications"}, fillQualification},
	{"電子証明書", []string{"certificate_applications", "certificates"}, fillCertificates},
	{"application history", []string{"application_events"}, fillHistory},
	{"documents", []string{"documents", "facility_messages"}, fillDocuments},
	{"inquiries", []string{"inquiries"}, fillInquiries},
	{"broadcasts", []string{"broadcasts"}, fillBroadcasts},
	{"mails", []string{"mail_outbox"}, fillMails},
	{"inquiry threads", []string{"inquiry_messages", "inquiry_attachments"}, fillThreads},
	{"audit log", []string{"audit_log"}, fillAudit},
	{"sessions", []string{"sessions"}, fillSessions},
	{"links and sign-in failures", []string{"account_tokens", "login_throttle"}, fillTokens},
}

// emptied are tables a fill empties without filling them: the development mail catcher,
// the rate limits' counters (a bench run's sign-ins must not weigh on the next one's) and
// the seed bookkeeping (which then records the volume marker).
var emptied = []string{"mail_catcher", "rate_limit_counters", "demo_seed"}

// allTables lists every table a fill empties, filled ones first.
func allTables() []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.tables...)
	}
	return append(out, emptied...)
}

// gen is the state of one fill: the counts, the random source, and what the steps made so
// far, which later steps refer to. Facilities, accounts and applications are numbered from
// 1 in the order they are copied (the tables' identities restart at 1), so entry i has id i+1.
type gen struct {
	n    Counts
	rng  *rand.Rand
	now  time.Time
	out  io.Writer
	seed uint64
	key  []byte // SESSION_SECRET

	operators   []op
	supervisors []int64
	models      []model
	facilities  []facility
	accounts    []acct
	apps        []app
	quals       []qual
	certApps    []certApp
	certs       []cert
	docs        []doc
	inquiries   []inq
	broadcasts  []bcast

	// events are the application history of every kind, written by fillHistory.
	events []event
	// audit are the operators' recorded steps so far, written with the rest by fillAudit.
	audit []auditRow
	// mails are the mails the steps caused, written by fillMails, which numbers them.
	mails []mailSpec
}

func (g *gen) logf(format string, args ...any) {
	if g.out != nil {
		fmt.Fprintf(g.out, "volume: "+format+"\n", args...)
	}
}

// between returns a random time in [from, to).
func (g *gen) between(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(d)))).Truncate(time.Second)
}

// pick returns one of list at random.
func pick[T any](g *gen, list []T) T { return list[g.rng.IntN(len(list))] }

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// sample returns k distinct indices of [0, n), in random order.
func (g *gen) sample(n, k int) []int {
	return g.rng.Perm(n)[:min(k, n)]
}

// copyRows copies n rows made by row(i) into table, reporting every 100,000 rows.
func (g *gen) copyRows(ctx context.Context, tx pgx.Tx, table string, columns []string, n int, row func(i int) ([]any, error)) error {
	i := 0
	src := pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		r, err := row(i)
		i++
		if i%100_000 == 0 && i < n {
			g.logf("  %s %d / %d", table, i, n)
		}
		return r, err
	})
	got, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	if got != int64(n) {
		return fmt.Errorf("copy %s: %d rows copied, want %d", table, got, n)
	}
	// Statistics now, inside the transaction (ANALYZE counts its own rows): the foreign-key
	// checks of the next tables are planned from them, and a table whose statistics still
	// say "empty" after TRUNCATE can get its key checked by a scan per row.
	if _, err := tx.Exec(ctx, "ANALYZE "+pgx.Identifier{table}.Sanitize()); err != nil {
		return fmt.Errorf("analyze %s: %w", table, err)
	}
	return nil
}

// checkIdentities confirms that the table's ids run from 1 to n in copy order, which the
// later steps rely on.
func checkIdentities(ctx context.Context, tx pgx.Tx, table string, n int) error {
	var lo, hi, count int64
	if err := tx.QueryRow(ctx, "SELECT coalesce(min(id), 0), coalesce(max(id), 0), count(*) FROM "+
		pgx.Identifier{table}.Sanitize()).Scan(&lo, &hi, &count); err != nil {
		return err
	}
	if count != int64(n) || (n > 0 && (lo != 1 || hi != int64(n))) {
		return fmt.Errorf("%s: ids %d–%d for %d rows, want 1–%d", table, lo, hi, count, n)
	}
	return nil
}

// sortedTimes returns n random times in [from, to), oldest first.
func (g *gen) sortedTimes(n int, from, to time.Time) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = g.between(from, to)
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts
}
