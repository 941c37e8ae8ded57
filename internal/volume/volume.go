// Package volume fills a database with what deadline day finds there: 250,000 facilities
// in the real mix of 病院, 医科・歯科診療所 and 薬局 over the 47 prefectures, 200,000
// accounts, 150,000 card reader applications with their readers, 50,000 利用申請 and the
// 電子証明書 of the approved ones, each with its history, 25,000 inquiries with their
// threads, documents addressed to facilities, broadcasts sent, every mail all of that
// caused, 1,000,000 audit entries and 300,000 live sessions ("portal volume fill"). Every
// benchmark and the rush (cmd/rush) run on it.
//
// The rows are the ones the portal itself writes: the same columns, statuses, 申込番号,
// history lines, mails rendered from the real templates with their data structs, session
// encoding and audit actions, with times spread over the last two years. Mails older than
// the default MAIL_BODY_RETENTION have lost their body, as the portal's housekeeping does.
//
// Every account signs in with its facility's 10-digit code at EmailDomain and Password,
// so load tools can sign in as any facility; the operators sign in with Password and the
// second factor of TOTPSecret. The data is made from a seeded generator: the same options
// give the same database.
//
// The tables it fills and how are listed once, in steps (tables.go).
package volume

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/demo"
)

// Database is the database of the development cluster that "portal volume" fills when
// DATABASE_URL is unset, beside the demo data of make run.
const Database = "portal_volume"

// Password is every volume account's password (and the volume operators').
const Password = "Volume1234pass"

// TOTPSecret is the second factor of every volume operator, published like Password
// ("portal volume totp-code" prints its current code). The demo's operators get the demo's
// own (demo.DemoTOTPSecret).
const TOTPSecret = "PORTALVOLUMEPORTALVOLUMEPORTALVO"

// EmailDomain is the domain of every volume account's login address.
const EmailDomain = "volume.example.jp"

// FullFacilities is the number of facilities on deadline day (SPEC §8).
const FullFacilities = 250_000

// Email is the login address of a facility's volume account: its 10-digit code
// (都道府県2桁 + 点数表1桁 + 医療機関等コード7桁), e.g. 1310110011@volume.example.jp.
func Email(prefecture, scoreTable int, code string) string {
	return fmt.Sprintf("%02d%d%s@%s", prefecture, scoreTable, code, EmailDomain)
}

// Counts are how many rows of each kind a fill makes. What follows from them (the readers
// of each application, the certificates of the approved 利用申請, the threads, the mails
// every step caused, the recipients of a broadcast) is counted in Result.Rows.
type Counts struct {
	Facilities   int
	Accounts     int
	Applications int // card reader applications
	// Qualifications are 利用申請; the approved ones' facilities mostly apply for certificates.
	Qualifications int
	Inquiries      int
	// Documents are 個別文書 sent to one facility each (besides the few sent to a set).
	Documents    int
	AuditEntries int
	Sessions     int
	Tokens       int // mailed links of the last week (registration, password reset)
	Throttles    int // logins with recent failed sign-ins
}

// CountsFor scales deadline day's figures to n facilities: with n = 250,000, 200,000
// accounts, 150,000 card reader applications, 50,000 利用申請, 25,000 inquiries, 2,500
// documents to one facility, 1,000,000 audit entries and 300,000 sessions.
func CountsFor(n int) Counts {
	return Counts{
		Facilities:     n,
		Accounts:       n * 4 / 5,
		Applications:   n * 3 / 5,
		Qualifications: n / 5,
		Inquiries:      n / 10,
		Documents:      n / 100,
		AuditEntries:   n * 4,
		Sessions:       n * 6 / 5,
		Tokens:         n / 10,
		Throttles:      n / 100,
	}
}

// Options control a fill.
type Options struct {
	// Facilities is the number of facilities (0: FullFacilities); every other count scales with it.
	Facilities int
	// Seed selects the generated data; the same seed and counts give the same rows.
	Seed uint64
	// Force fills a database that holds data other than an earlier volume fill, emptying
	// every table the fill writes.
	Force bool
	// Progress, when set, receives a line per step and per 100,000 rows.
	Progress io.Writer
	// Now is the fill's present: the data lies before it, sessions and deadlines after (zero: time.Now()).
	Now time.Time
	// SessionSecret is the SESSION_SECRET of the portal that will serve the database: the
	// operators' second-factor secrets are sealed under it. Empty leaves the operators
	// without a second factor (they enrol at their first sign-in).
	SessionSecret []byte
}

// ErrNotVolume means the database holds data that no volume fill made.
var ErrNotVolume = errors.New("volume: the database holds data that is not from a volume fill (demo or real data); refusing to empty it")

// marker is the demo_seed step that tells a volume database from any other.
const marker = "volume"

// Result tells what a fill made.
type Result struct {
	Counts Counts
	// Rows is the number of rows of each table filled, counted after the fill.
	Rows []TableRows
	Took time.Duration
}

// TableRows is one table's row count.
type TableRows struct {
	Table string
	Rows  int64
}

// Fill empties the tables the fill writes and fills them. It refuses (ErrNotVolume) a
// database holding other data unless opt.Force is set. The database must be migrated.
func Fill(ctx context.Context, pool *pgxpool.Pool, opt Options) (*Result, error) {
	if opt.Facilities <= 0 {
		opt.Facilities = FullFacilities
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	start := time.Now()
	g := &gen{
		n:    CountsFor(opt.Facilities),
		rng:  rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)),
		now:  opt.Now.Truncate(time.Second),
		out:  opt.Progress,
		seed: opt.Seed,
		key:  opt.SessionSecret,
	}
	if err := database.WithTx(ctx, pool, func(tx pgx.Tx) error { return reset(ctx, tx, opt.Force) }); err != nil {
		return nil, err
	}
	g.logf("emptied %d tables", len(allTables()))
	for _, s := range steps {
		t := time.Now()
		if err := database.WithTx(ctx, pool, func(tx pgx.Tx) error {
			// Commits need not wait for the disk: a fill cut short is filled again.
			if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
				return err
			}
			return s.fill(ctx, tx, g)
		}); err != nil {
			return nil, fmt.Errorf("volume: %s: %w", s.name, err)
		}
		g.logf("%-26s %6.1f s", s.name, time.Since(t).Seconds())
	}
	t := time.Now()
	// Fresh statistics and visibility maps, so the planner and index-only scans see the
	// volume at once instead of after autovacuum gets round to it.
	for _, table := range allTables() {
		if _, err := pool.Exec(ctx, "VACUUM (ANALYZE) "+pgx.Identifier{table}.Sanitize()); err != nil {
			return nil, fmt.Errorf("volume: vacuum %s: %w", table, err)
		}
	}
	g.logf("%-26s %6.1f s", "vacuum and analyze", time.Since(t).Seconds())
	res := &Result{Counts: g.n}
	for _, table := range allTables() {
		var n int64
		if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
			return nil, fmt.Errorf("volume: count %s: %w", table, err)
		}
		res.Rows = append(res.Rows, TableRows{Table: table, Rows: n})
	}
	res.Took = time.Since(start)
	return res, nil
}

// reset checks that the database may be filled, empties every table the fill writes and
// marks the database as a volume one (in demo_seed, with the demo's steps marked done, so
// "portal seed-demo" adds nothing to it).
func reset(ctx context.Context, tx pgx.Tx, force bool) error {
	isVolume, holdsData, err := inspect(ctx, tx)
	if err != nil {
		return err
	}
	if holdsData != "" && !isVolume && !force {
		return fmt.Errorf("%w (table %s has rows; use --force to empty it anyway)", ErrNotVolume, holdsData)
	}
	names := make([]string, 0, len(allTables()))
	for _, t := range allTables() {
		names = append(names, pgx.Identifier{t}.Sanitize())
	}
	if _, err := tx.Exec(ctx, "TRUNCATE "+strings.Join(names, ", ")+" RESTART IDENTITY CASCADE"); err != nil {
		return fmt.Errorf("volume: empty tables: %w", err)
	}
	steps := []string{marker}
	for _, s := range demo.Steps {
		steps = append(steps, s.Name)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO demo_seed (step) SELECT unnest($1::text[])`, steps); err != nil {
		return fmt.Errorf("volume: mark database: %w", err)
	}
	return nil
}

// inspect tells whether the database is marked as a volume one, and names a table holding
// rows, if any (the migrations' and the job queue's own bookkeeping, the rows a migration
// seeds and the postal data do not count).
func inspect(ctx context.Context, tx pgx.Tx) (isVolume bool, holdsData string, err error) {
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM demo_seed WHERE step = $1)`, marker).Scan(&isVolume); err != nil {
		return false, "", fmt.Errorf("volume: read marker (is the database migrated?): %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
		AND tablename NOT IN ('goose_db_version', 'postal_codes', 'postal_data_version', 'mail_bulk_pace')
		AND tablename NOT LIKE 'river\_%' ORDER BY tablename`)
	if err != nil {
		return false, "", fmt.Errorf("volume: list tables: %w", err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return false, "", fmt.Errorf("volume: list tables: %w", err)
	}
	for _, t := range tables {
		var has bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+pgx.Identifier{t}.Sanitize()+")").Scan(&has); err != nil {
			return false, "", fmt.Errorf("volume: inspect %s: %w", t, err)
		}
		if has {
			return isVolume, t, nil
		}
	}
	return isVolume, "", nil
}
