package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"portal/internal/account"
)

// provisional runs "provisional issue --out FILE.csv [--encoding utf8|cp932]": letters for
// every master facility with neither an account nor live provisional credentials.
//
// The clear passwords exist only in FILE: it is written beside its final name with mode
// 0600, synced, and renamed into place only after the credentials are committed, so a
// failure leaves neither credentials without a letter nor a letter without credentials.
func (a *app) provisional(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "issue" {
		return errUsage
	}
	fs := flag.NewFlagSet("provisional issue", flag.ContinueOnError)
	out := fs.String("out", "", "CSV file to write the letters to (must not exist)")
	enc := fs.String("encoding", "utf8", "utf8 (with BOM, for Excel) or cp932 (Shift_JIS)")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if *out == "" || fs.NArg() != 0 {
		return errUsage
	}
	var encoding account.CSVEncoding
	switch *enc {
	case "utf8", "utf-8":
		encoding = account.CSVUTF8
	case "cp932", "sjis", "shift_jis":
		encoding = account.CSVCP932
	default:
		return fmt.Errorf("provisional issue: unknown encoding %q (utf8 or cp932)", *enc)
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("provisional issue: %s exists; it may hold passwords of an earlier batch, so it is never overwritten", *out)
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), "."+filepath.Base(*out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("provisional issue: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("provisional issue: %w", err)
	}
	start := time.Now()
	lastLog := start
	res, err := account.IssueLetters(ctx, a.db, a.cfg.SessionSecret, tmp, account.BatchOptions{
		Encoding: encoding,
		Progress: func(done, total int) {
			if time.Since(lastLog) > 2*time.Second || done == total {
				lastLog = time.Now()
				a.log.Info("issuing provisional credentials", slog.Int("done", done), slog.Int("total", total))
			}
		},
	})
	if err != nil {
		return fmt.Errorf("provisional issue: %w", err)
	}
	committed = true
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("provisional issue: credentials committed, but closing %s failed: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("provisional issue: credentials committed; the letters are in %s (rename failed: %w)", tmp.Name(), err)
	}
	a.log.Info("provisional credentials issued", slog.Int("letters", res.Issued),
		slog.Int("rows_with_replaced_characters", res.Replaced), slog.String("out", *out),
		slog.Duration("took", time.Since(start)))
	fmt.Fprintf(os.Stdout, "%d letters written to %s\n", res.Issued, *out)
	if res.Replaced > 0 {
		fmt.Fprintf(os.Stdout, "%d letters hold characters CP932 lacks, printed as 〓; check them before printing\n", res.Replaced)
	}
	return nil
}
