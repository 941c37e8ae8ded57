package batch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/jp"
	"portal/internal/master"
	"portal/internal/operator"
)

const runColumns = `r.id, r.kind, r.state, r.started_by, coalesce(o.name, ''), r.created_at, r.started_at, r.finished_at,
	r.heartbeat_at, r.attempts, r.stage, r.done, r.total, r.file_name, r.file_size, r.encoding, r.result,
	r.problem_count, r.output IS NOT NULL, r.downloaded_at, r.error`

const runFrom = ` FROM batch_runs r LEFT JOIN operators o ON o.id = r.started_by `

func scanRun(row pgx.Row) (Run, error) {
	var r Run
	var result []byte
	err := row.Scan(&r.ID, &r.Kind, &r.State, &r.StartedBy, &r.StartedByName, &r.CreatedAt, &r.StartedAt, &r.FinishedAt,
		&r.HeartbeatAt, &r.Attempts, &r.Stage, &r.Done, &r.Total, &r.FileName, &r.FileSize, &r.Encoding, &result,
		&r.ProblemCount, &r.Downloadable, &r.DownloadedAt, &r.Error)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("batch: read run: %w", err)
	}
	if err := json.Unmarshal(result, &r.Result); err != nil {
		return r, fmt.Errorf("batch: read run result: %w", err)
	}
	return r, nil
}

// Get returns one run, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id int64) (Run, error) {
	return scanRun(s.db.QueryRow(ctx, `SELECT `+runColumns+runFrom+`WHERE r.id = $1`, id))
}

// active returns the queued or running run of kind.
func (s *Service) active(ctx context.Context, kind string) (Run, error) {
	return scanRun(s.db.QueryRow(ctx, `SELECT `+runColumns+runFrom+`WHERE r.kind = $1 AND r.state IN ('queued', 'running')`, kind))
}

// Active returns the queued or running run of kind, or ErrNotFound.
func (s *Service) Active(ctx context.Context, kind string) (Run, error) { return s.active(ctx, kind) }

// Recent returns the newest runs, newest first.
func (s *Service) Recent(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.Query(ctx, `SELECT `+runColumns+runFrom+`ORDER BY r.created_at DESC, r.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("batch: recent runs: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Run, error) { return scanRun(r) })
}

// Problems returns a refused run with its first limit problems loaded.
func (s *Service) Problems(ctx context.Context, id int64, limit int) (Run, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return r, err
	}
	err = s.eachProblem(ctx, id, func(p master.Problem) bool {
		r.Problems = append(r.Problems, p)
		return len(r.Problems) < limit
	})
	return r, err
}

// ProblemsCSV writes every problem of a refused run as CSV (行, 内容) in enc.
func (s *Service) ProblemsCSV(ctx context.Context, id int64, w io.Writer, enc jp.Encoding) error {
	cw, err := jp.NewCSVWriter(w, enc)
	if err != nil {
		return err
	}
	if err := cw.Write([]string{"行", "内容"}); err != nil {
		return err
	}
	var werr error
	err = s.eachProblem(ctx, id, func(p master.Problem) bool {
		line := ""
		if p.Line > 0 {
			line = strconv.Itoa(p.Line)
		}
		werr = cw.Write([]string{line, jp.Cell(p.Reason)})
		return werr == nil
	})
	if err != nil {
		return err
	}
	if werr != nil {
		return werr
	}
	return cw.Close()
}

// eachProblem calls fn with the run's problems in line order until it returns false.
func (s *Service) eachProblem(ctx context.Context, id int64, fn func(master.Problem) bool) error {
	var packed []byte
	err := s.db.QueryRow(ctx, `SELECT problems FROM batch_runs WHERE id = $1`, id).Scan(&packed)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("batch: problems: %w", err)
	}
	if packed == nil {
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return fmt.Errorf("batch: problems: %w", err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line, reason, _ := strings.Cut(sc.Text(), "\t")
		n, _ := strconv.Atoi(line)
		if !fn(master.Problem{Line: n, Reason: reason}) {
			return nil
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("batch: problems: %w", err)
	}
	return nil
}

// packProblems stores problems one per line ("line\treason"), gzipped: a file refused for
// every one of 250,000 rows keeps each problem in a few megabytes.
func packProblems(problems []master.Problem) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	bw := bufio.NewWriter(zw)
	for _, p := range problems {
		reason := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(p.Reason)
		if _, err := fmt.Fprintf(bw, "%d\t%s\n", p.Line, reason); err != nil {
			return nil, err
		}
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// DownloadLetters hands the letters' CSV of a finished letter batch to write, once, and
// only to the supervisor who ran it (ErrNotYours; ErrDownloaded the second time). The file
// is dropped in the transaction that hands it over, which commits only when write
// returned nil: a download that breaks off leaves the file for another try.
func (s *Service) DownloadLetters(ctx context.Context, op operator.Operator, id int64, write func(r Run, csv []byte) error) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		r, err := scanRun(tx.QueryRow(ctx, `SELECT `+runColumns+runFrom+`WHERE r.id = $1 AND r.kind = $2 FOR UPDATE OF r`, id, KindLetters))
		if err != nil {
			return err
		}
		switch {
		case r.StartedBy != op.ID:
			return ErrNotYours
		case r.DownloadedAt != nil:
			return ErrDownloaded
		case r.State != StateDone || !r.Downloadable:
			return ErrNotReady
		}
		var sealed []byte
		if err := tx.QueryRow(ctx, `SELECT output FROM batch_runs WHERE id = $1`, id).Scan(&sealed); err != nil {
			return fmt.Errorf("batch: letters: %w", err)
		}
		plain, err := open(s.key, id, sealed)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE batch_runs SET output = NULL, downloaded_at = now() WHERE id = $1`, id); err != nil {
			return fmt.Errorf("batch: letters: %w", err)
		}
		if err := operator.Record(ctx, tx, op.ID, ActionLettersFetched, TargetRun, id, map[string]any{"issued": r.Result.Issued}); err != nil {
			return err
		}
		return write(r, plain)
	})
}
