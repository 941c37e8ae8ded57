package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"portal/internal/database"
	"portal/internal/postal"
)

// minFullImport is well below the ~124,000 rows of a real utf_ken_all.csv: a file with
// fewer rows is more likely cut short than real, and would wipe most of the country.
const minFullImport = 100_000

// postal runs "postal import [-partial] FILE": it validates Japan Post's utf_ken_all.csv
// and replaces the postal data of every instance with it.
func (a *app) postal(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return errUsage
	}
	fs := flag.NewFlagSet("postal import", flag.ContinueOnError)
	partial := fs.Bool("partial", false, "accept a file with fewer than 100,000 rows (tests, demos)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
		return errUsage
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	records, err := postal.ParseKenAll(io.LimitReader(f, 256<<20))
	if err != nil {
		return err
	}
	if len(records) < minFullImport && !*partial {
		return fmt.Errorf("postal import: %s has only %d rows; a full utf_ken_all.csv has about 124,000 (use -partial to import it anyway)", name, len(records))
	}
	if err := database.Migrate(ctx, a.db, a.log); err != nil {
		return err
	}
	v, err := postal.Import(ctx, a.db, filepath.Base(name), records)
	if err != nil {
		return err
	}
	a.log.Info("postal codes imported", slog.String("file", name), slog.Int64("version", v.Number), slog.Int("records", v.RowCount))
	fmt.Printf("imported %d postal code records from %s as version %d; running instances switch within %s\n",
		v.RowCount, name, v.Number, postal.DefaultCheckInterval)
	return nil
}
