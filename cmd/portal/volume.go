package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"portal/internal/database"
	"portal/internal/operator"
	"portal/internal/volume"
)

// volume runs "volume fill [--facilities N] [--seed N] [--force]", "volume serve",
// "volume url" and "volume totp-code".
func (a *app) volume(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	switch args[0] {
	case "url":
		if len(args) != 1 {
			return errUsage
		}
		fmt.Println(a.dbURL)
		return nil
	case "totp-code":
		// The volume operators' second factor is published (volume.TOTPSecret) like their
		// password, so its code says nothing secret; load tools sign in with it.
		if len(args) != 1 {
			return errUsage
		}
		code, err := operator.CodeAt(volume.TOTPSecret, time.Now())
		if err != nil {
			return err
		}
		fmt.Println(code)
		return nil
	case "serve":
		// The volume served like make run's demo: the development cluster's portal_volume
		// (or DATABASE_URL, which then needs SMTP_HOST like any other serve).
		if len(args) != 1 {
			return errUsage
		}
		return a.serve(ctx)
	case "fill":
	default:
		return errUsage
	}
	fs := flag.NewFlagSet("volume fill", flag.ContinueOnError)
	facilities := fs.Int("facilities", volume.FullFacilities, "facilities to make; every other count scales with it")
	seed := fs.Uint64("seed", 1, "seed of the generated data (same seed and size, same rows)")
	force := fs.Bool("force", false, "empty the tables even when they hold data no volume fill made")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 || *facilities < 100 {
		return errUsage
	}
	if err := database.Migrate(ctx, a.db, a.log); err != nil {
		return err
	}
	res, err := volume.Fill(ctx, a.db, volume.Options{Facilities: *facilities, Seed: *seed, Force: *force, Progress: os.Stdout,
		SessionSecret: a.cfg.SessionSecret})
	if errors.Is(err, volume.ErrNotVolume) {
		return fmt.Errorf("%w\n(DATABASE_URL unset fills the development cluster's %s database instead)", err, volume.Database)
	}
	if err != nil {
		return err
	}
	printVolume(os.Stdout, res)
	return nil
}

func printVolume(w io.Writer, res *volume.Result) {
	fmt.Fprintf(w, "\nvolume: filled in %.0f s\n", res.Took.Seconds())
	for _, t := range res.Rows {
		fmt.Fprintf(w, "  %-32s %10d\n", t.Table, t.Rows)
	}
	fmt.Fprintf(w, "\nEvery account signs in with its facility's 10-digit code at %s and the password %s\n"+
		"(e.g. SELECT email FROM accounts LIMIT 1); operators volume-op01… sign in at /admin with the same\n"+
		"password and the second-factor code \"portal volume totp-code\" prints (the key %s), the demo's\n"+
		"operator and supervisor with theirs.\n", volume.EmailDomain, volume.Password, volume.TOTPSecret)
}
