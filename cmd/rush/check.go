package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pickFacilities draws n facilities that have an account, no card reader application and
// no locked login, in an order set by seed.
func pickFacilities(ctx context.Context, db *pgxpool.Pool, n int, seed uint64) ([]facility, error) {
	rows, err := db.Query(ctx, `SELECT f.id, a.email, f.kind, f.score_table_code, f.dental_hospital_with_medical
		FROM facilities f JOIN accounts a ON a.facility_id = f.id
		WHERE NOT EXISTS (SELECT 1 FROM cardreader_applications c WHERE c.facility_id = f.id)
		  AND NOT EXISTS (SELECT 1 FROM login_throttle t WHERE t.login = lower(a.email) AND t.locked_until > now())
		ORDER BY md5(f.id::text || $2::text) LIMIT $1`, n, fmt.Sprint(seed))
	if err != nil {
		return nil, fmt.Errorf("pick facilities: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (facility, error) {
		var f facility
		return f, r.Scan(&f.id, &f.email, &f.kind, &f.scoreTable, &f.dentalMed)
	})
	if err != nil {
		return nil, fmt.Errorf("pick facilities: %w", err)
	}
	if len(list) < n {
		return nil, fmt.Errorf("only %d facilities have an account and no card reader application (run portal volume fill again)", len(list))
	}
	return list, nil
}

// before is where the database and the log stood when the rush began.
type before struct {
	lastMail int64
	logSize  int64
}

func snapshot(ctx context.Context, db *pgxpool.Pool, logFile string) (before, error) {
	var b before
	if err := db.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM mail_outbox`).Scan(&b.lastMail); err != nil {
		return b, fmt.Errorf("outbox: %w", err)
	}
	if logFile != "" {
		fi, err := os.Stat(logFile)
		if err != nil {
			return b, fmt.Errorf("the portal's log: %w", err)
		}
		b.logSize = fi.Size()
	}
	return b, nil
}

// verify checks that nothing was lost or doubled: exactly one application per facility of
// the rush, one receipt mail each, and no 5xx or error in the portal's log since the start.
func verify(ctx context.Context, db *pgxpool.Pool, logFile string, b before, facilities []facility, shown map[int64]string, w io.Writer) (bool, error) {
	ids := make([]int64, len(facilities))
	emails := make([]string, len(facilities))
	for i, f := range facilities {
		ids[i], emails[i] = f.id, f.email
	}
	ok := true
	check := func(good bool, format string, args ...any) {
		mark := "ok  "
		if !good {
			mark, ok = "FAIL", false
		}
		fmt.Fprintf(w, "%s %s\n", mark, fmt.Sprintf(format, args...))
	}
	var apps, distinct, received int
	if err := db.QueryRow(ctx, `SELECT count(*), count(DISTINCT facility_id), count(*) FILTER (WHERE status = '受付済')
		FROM cardreader_applications WHERE facility_id = ANY($1)`, ids).Scan(&apps, &distinct, &received); err != nil {
		return false, fmt.Errorf("count applications: %w", err)
	}
	check(apps == len(ids) && distinct == len(ids) && received == len(ids),
		"applications of the rush's facilities: %d for %d facilities, %d 受付済 (want exactly %d)", apps, distinct, received, len(ids))

	var matching int
	refIDs, refs := make([]int64, 0, len(shown)), make([]string, 0, len(shown))
	for id, ref := range shown {
		refIDs, refs = append(refIDs, id), append(refs, ref)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM unnest($1::bigint[], $2::text[]) s (facility_id, reference)
		JOIN cardreader_applications a USING (facility_id, reference)`, refIDs, refs).Scan(&matching); err != nil {
		return false, fmt.Errorf("match references: %w", err)
	}
	check(matching == len(shown), "申込番号 shown on completion pages that are the facility's stored application: %d of %d", matching, len(shown))

	var mails, sent, waiting int
	if err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status IN ('queued', 'sending'))
		FROM mail_outbox WHERE id > $1 AND template = 'cardreader_applied' AND to_addr = ANY($2)`, b.lastMail, emails).Scan(&mails, &sent, &waiting); err != nil {
		return false, fmt.Errorf("count mails: %w", err)
	}
	check(mails == len(emails), "receipt mails (顔認証付きカードリーダー申込完了のお知らせ) in the outbox: %d (want %d; %d sent, %d waiting)",
		mails, len(emails), sent, waiting)

	if logFile == "" {
		fmt.Fprintln(w, "--   the portal's log was not checked (-log FILE)")
		return ok, nil
	}
	lines, fivexx, errs, err := scanLog(logFile, b.logSize)
	if err != nil {
		return false, err
	}
	check(fivexx == 0 && len(errs) == 0, "the portal's log: %d lines since the start, %d answers 5xx, %d errors", lines, fivexx, len(errs))
	for i, e := range errs {
		if i == 20 {
			fmt.Fprintf(w, "     … and %d more\n", len(errs)-20)
			break
		}
		fmt.Fprintf(w, "     %s\n", e)
	}
	return ok, nil
}

// scanLog reads the portal's JSON log from offset: request lines with a 5xx status and
// lines at level ERROR.
func scanLog(name string, offset int64) (lines, fivexx int, errs []string, err error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("the portal's log: %w", err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return 0, 0, nil, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		lines++
		var l struct {
			Level  string `json:"level"`
			Msg    string `json:"msg"`
			Status int    `json:"status"`
		}
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue // not a JSON line (a panic's trace is logged as JSON too)
		}
		if l.Status >= 500 {
			fivexx++
		}
		if l.Status >= 500 || l.Level == "ERROR" {
			errs = append(errs, sc.Text())
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return lines, fivexx, errs, fmt.Errorf("the portal's log: %w", err)
	}
	return lines, fivexx, errs, nil
}
