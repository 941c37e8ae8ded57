// Package demo loads the demo data that "portal seed-demo" (and make run) puts in a fresh
// database: a facility master covering every 施設種別 and 点数表, the catalog and news, and
// back-office logins. Each step runs once; demo_seed records the steps done, so seeding
// again changes nothing and a step added later still runs on an older demo database.
package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
)

// Step is one named part of the demo data.
type Step struct {
	// Name is recorded in demo_seed once the step has run; never rename a step.
	Name string
	// Logins are what the step lets a newcomer sign in with, printed after seeding.
	Logins []Login
	// Run loads the data inside the seeding transaction.
	Run func(ctx context.Context, tx pgx.Tx) error
}

// Login is a demo credential.
type Login struct {
	Role     string // who signs in, e.g. オペレーター
	Path     string // where, e.g. /admin
	Login    string
	Password string
	// TOTPSecret is the second factor's development secret of a demo operator, or "".
	TOTPSecret string
}

// Result says what a Seed did and who can sign in.
type Result struct {
	Applied []string // steps run now
	Skipped []string // steps found already done
	Logins  []Login  // of every step, done now or before
}

// seedLock keeps two seeders (two instances starting with make run) from running a step twice.
const seedLock = 7_402_115_001

// Seed runs, in one transaction, every step of Steps not yet recorded in demo_seed.
func Seed(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (*Result, error) {
	res := &Result{}
	err := database.WithTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(seedLock)); err != nil {
			return fmt.Errorf("demo: lock: %w", err)
		}
		done, err := doneSteps(ctx, tx)
		if err != nil {
			return err
		}
		for _, s := range Steps {
			res.Logins = append(res.Logins, s.Logins...)
			if done[s.Name] {
				res.Skipped = append(res.Skipped, s.Name)
				continue
			}
			if err := s.Run(ctx, tx); err != nil {
				return fmt.Errorf("demo: step %s: %w", s.Name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO demo_seed (step) VALUES ($1)", s.Name); err != nil {
				return fmt.Errorf("demo: record step %s: %w", s.Name, err)
			}
			res.Applied = append(res.Applied, s.Name)
			if log != nil {
				log.Info("demo data loaded", slog.String("step", s.Name))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func doneSteps(ctx context.Context, tx pgx.Tx) (map[string]bool, error) {
	rows, err := tx.Query(ctx, "SELECT step FROM demo_seed")
	if err != nil {
		return nil, fmt.Errorf("demo: read demo_seed: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("demo: read demo_seed: %w", err)
	}
	done := make(map[string]bool, len(names))
	for _, n := range names {
		done[n] = true
	}
	return done, nil
}
