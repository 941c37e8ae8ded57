// Package database opens the PostgreSQL pool, runs transactions and applies migrations.
package database

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"portal/migrations"
)

// DB is the part of pgx that both a pool and a transaction offer, so store functions can
// run either inside or outside a transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Settings are the server settings the portal relies on, set on each of its own
// connections (so they hold whatever the server's defaults, and touch nothing else on a
// shared server). A setting in the connection string wins, so an operator can still
// change one without a release. docs/operations.md explains each.
var Settings = map[string]string{
	// The portal's queries are short: compiling one with LLVM costs more than it can save.
	"jit": "off",
	// The CSV exports and the back-office lists sort up to 250,000 rows; the default 4 MB
	// would spill those sorts to disk. Each connection uses it only while sorting.
	"work_mem": "32MB",
}

// Open connects a pool and checks that the database answers.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: parse url: %w", err)
	}
	for k, v := range Settings {
		if _, set := cfg.ConnConfig.RuntimeParams[k]; !set {
			cfg.ConnConfig.RuntimeParams[k] = v
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: ping: %w", err)
	}
	return pool, nil
}

// WithTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func WithTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}

// Migrate applies every pending migration. A PostgreSQL session lock lets several
// instances start at once without applying a migration twice.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("database: migration lock: %w", err)
	}
	sub, err := fs.Sub(migrations.FS, ".")
	if err != nil {
		return err
	}
	// Strictly in order: a migration numbered below one already applied is refused, so every
	// database has passed through the same schemas in the same order.
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("database: migrations: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("database: migrate: %w", err)
	}
	for _, r := range results {
		if log != nil {
			log.Info("migration applied", slog.String("file", r.Source.Path), slog.Duration("took", r.Duration))
		}
	}
	return nil
}

// IsUniqueViolation reports whether err is PostgreSQL's unique_violation (23505),
// optionally on the named constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return false
	}
	return constraint == "" || pgErr.ConstraintName == constraint
}
