package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

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
	if err := a.migrate(ctx); err != nil {
		return err
	}
	return importPostal(ctx, a.db, f, filepath.Base(name), *partial, os.Stdout, os.Stderr)
}

// importPostal validates the whole file first, listing every problem by line on errOut,
// and replaces the data only when there is none.
func importPostal(ctx context.Context, db *pgxpool.Pool, in io.Reader, name string, partial bool, out, errOut io.Writer) error {
	records, err := postal.ParseKenAll(io.LimitReader(in, 256<<20))
	var ie *postal.ImportError
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Fprintln(errOut, p)
		}
		if ie.More > 0 {
			fmt.Fprintf(errOut, "ほか%d件\n", ie.More)
		}
		return fmt.Errorf("postal import: %d件の問題があるため、何も取り込みませんでした", len(ie.Problems)+ie.More)
	}
	if err != nil {
		return err
	}
	if len(records) < minFullImport && !partial {
		return fmt.Errorf("postal import: %sは%d件しかありません。utf_ken_all.csvは約12万件です（このまま取り込むには -partial を付けてください）", name, len(records))
	}
	v, err := postal.Import(ctx, db, name, records)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "取込完了: %d件 (版 %d)。稼働中のサーバーは%d分以内に新しいデータに切り替わります。\n",
		v.RowCount, v.Number, int(postal.DefaultCheckInterval.Minutes()))
	return nil
}
