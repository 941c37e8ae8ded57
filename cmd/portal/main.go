// Command portal is the whole 医療機関等向けポータルサイト in one binary:
//
//	portal [serve]             serve the web portal and deliver mails (default)
//	portal migrate             apply database migrations
//	portal seed-demo           load demo data (once; safe to repeat)
//	portal master import FILE  import the fund's facility master CSV
//	portal provisional issue --out FILE.csv   issue provisional credentials (letters)
//	portal postal import FILE  import Japan Post's utf_ken_all.csv
//	portal operator totp-code LOGIN  an operator's current second-factor code (development only)
//	portal volume fill         fill a database with deadline day's volume (benchmarks)
//	portal volume serve        serve the filled volume database (as serve does the demo's)
//	portal volume totp-code    the volume operators' current second-factor code
//
// Settings come from the environment (see README.md). With DATABASE_URL unset, every
// subcommand uses the private PostgreSQL cluster under .dev/ of the checkout.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
	"portal/internal/database"
	"portal/internal/devdb"
	"portal/internal/jobs"
	"portal/internal/volume"
)

const usage = `usage: portal [command]

commands:
  serve                 serve the portal (default)
  migrate               apply database migrations
  seed-demo             load demo data
  master import FILE    import the facility master CSV
  provisional issue --out FILE.csv
                        issue provisional credentials and write the letters' CSV
  postal import FILE    replace the postal code data with Japan Post's utf_ken_all.csv
  operator totp-code LOGIN
                        print the operator's current second-factor code (development machine only)
  volume fill [--facilities N] [--seed N] [--force]
                        fill a database with deadline day's volume (250,000 facilities, …);
                        without DATABASE_URL the development cluster's portal_volume
  volume serve          serve the volume database like serve (the development mailbox included
                        when DATABASE_URL is unset)
  volume url            print the connection string "volume fill" uses
  volume totp-code      print the volume operators' current second-factor code
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

// app is what every subcommand starts from.
type app struct {
	cfg *config.Config
	log *slog.Logger
	db  *pgxpool.Pool
	// dbURL is the connection string db was opened with.
	dbURL string
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Print(usage)
		return nil
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	a := &app{cfg: cfg, log: newLogger(cfg.LogLevel)}
	switch cmd {
	case "serve", "migrate", "seed-demo", "master", "provisional", "postal", "operator", "volume":
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	dbName := devdb.Database
	if cmd == "volume" {
		// The volume never lands in the demo database of make run by accident.
		dbName = volume.Database
	}
	if err := a.open(ctx, dbName); err != nil {
		return err
	}
	defer a.db.Close()
	switch cmd {
	case "serve":
		return a.serve(ctx)
	case "migrate":
		return a.migrate(ctx)
	case "seed-demo":
		return a.seedDemo(ctx)
	case "master":
		return a.master(ctx, args)
	case "provisional":
		return a.provisional(ctx, args)
	case "operator":
		return a.operatorCmd(ctx, args)
	case "volume":
		return a.volume(ctx, args)
	default:
		return a.postal(ctx, args)
	}
}

// open connects to DATABASE_URL, or starts the private development cluster and connects
// to its database dbName.
func (a *app) open(ctx context.Context, dbName string) error {
	url := a.cfg.DatabaseURL
	if url == "" {
		root, err := devdb.Root()
		if err != nil {
			return err
		}
		if url, err = devdb.URLFor(ctx, root, dbName); err != nil {
			return err
		}
		a.log.Info("using the development database under .dev/pg", slog.String("root", root), slog.String("database", dbName))
	}
	a.dbURL = url
	db, err := database.Open(ctx, url)
	if err != nil {
		return err
	}
	a.db = db
	return nil
}

// migrate applies the portal's migrations (goose), then the job queue's own (River).
func (a *app) migrate(ctx context.Context) error {
	if err := database.Migrate(ctx, a.db, a.log); err != nil {
		return err
	}
	return jobs.Migrate(ctx, a.db, a.log)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

var errUsage = errors.New("wrong arguments (portal help)")
