package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/jobs"
	"portal/internal/jp"
	"portal/internal/master"
	"portal/internal/operator"
)

// Job settings: a run may take minutes (250,000 rows), far below River's rescue of a job
// stuck for an hour; a run that keeps failing gives up after a few tries.
const (
	jobTimeout  = 30 * time.Minute
	maxAttempts = 5
	// busySnooze is how long a job waits when another worker holds its run.
	busySnooze = 30 * time.Second
	// progressEvery bounds how often a run writes its progress.
	progressEvery = 250 * time.Millisecond
)

// masterImportJob is the job of a master import run.
type masterImportJob struct {
	RunID int64 `json:"run_id"`
}

// Kind names the job in river_job; never rename a kind that may be queued.
func (masterImportJob) Kind() string { return "batch.master_import" }

// InsertOpts bounds the job's attempts.
func (masterImportJob) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxAttempts}
}

type masterImportWorker struct {
	river.WorkerDefaults[masterImportJob]
	s *Service
}

// Timeout lets a whole master import run (River's default is a minute).
func (w *masterImportWorker) Timeout(*river.Job[masterImportJob]) time.Duration { return jobTimeout }

// Work imports the run's file: every row checked first, then merged, in the transaction
// that also records the outcome and completes the job.
func (w *masterImportWorker) Work(ctx context.Context, job *river.Job[masterImportJob]) error {
	return w.s.work(ctx, job.Args.RunID, job.Attempt, job.MaxAttempts, func(tx pgx.Tx, p *progress) error {
		var upload []byte
		if err := tx.QueryRow(ctx, `SELECT upload FROM batch_runs WHERE id = $1`, job.Args.RunID).Scan(&upload); err != nil {
			return fmt.Errorf("batch: read upload: %w", err)
		}
		res, err := master.ImportWith(ctx, tx, bytes.NewReader(upload), master.Options{
			Progress: func(stage master.Stage, done, total int) { p.step(ctx, string(stage), done, total) },
		})
		var invalid *master.ValidationError
		if errors.As(err, &invalid) {
			packed, err := packProblems(invalid.Problems)
			if err != nil {
				return fmt.Errorf("batch: problems: %w", err)
			}
			_, err = tx.Exec(ctx, `UPDATE batch_runs SET state = 'refused', upload = NULL, finished_at = clock_timestamp(), error = '',
				problems = $2, problem_count = $3 WHERE id = $1`, job.Args.RunID, packed, len(invalid.Problems))
			if err != nil {
				return fmt.Errorf("batch: record refusal: %w", err)
			}
			return jobs.CompleteTx(ctx, tx, job)
		}
		if err != nil {
			return err
		}
		out := Result{Inserted: res.Inserted, Updated: res.Updated, Unchanged: res.Unchanged}
		if err := finish(ctx, tx, job.Args.RunID, out, nil); err != nil {
			return err
		}
		return jobs.CompleteTx(ctx, tx, job)
	}, func(tx pgx.Tx) error { return jobs.CompleteTx(ctx, tx, job) })
}

// lettersJob is the job of a letter batch run.
type lettersJob struct {
	RunID int64 `json:"run_id"`
}

// Kind names the job in river_job; never rename a kind that may be queued.
func (lettersJob) Kind() string { return "batch.letters" }

// InsertOpts bounds the job's attempts.
func (lettersJob) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: maxAttempts} }

type lettersWorker struct {
	river.WorkerDefaults[lettersJob]
	s *Service
}

// Timeout lets a whole letter batch run.
func (w *lettersWorker) Timeout(*river.Job[lettersJob]) time.Duration { return jobTimeout }

// Work issues the letters and keeps their CSV sealed, in the transaction that stores the
// credentials and completes the job: the letters exist if and only if their credentials do.
func (w *lettersWorker) Work(ctx context.Context, job *river.Job[lettersJob]) error {
	s := w.s
	id := job.Args.RunID
	return s.work(ctx, id, job.Attempt, job.MaxAttempts, func(tx pgx.Tx, p *progress) error {
		var enc string
		if err := tx.QueryRow(ctx, `SELECT encoding FROM batch_runs WHERE id = $1`, id).Scan(&enc); err != nil {
			return fmt.Errorf("batch: read run: %w", err)
		}
		opt := account.BatchOptions{Encoding: account.CSVUTF8,
			Progress: func(done, total int) { p.step(ctx, stageLetters, done, total) }}
		if jp.Encoding(enc) == jp.CP932 {
			opt.Encoding = account.CSVCP932
		}
		p.step(ctx, stageLetters, 0, 0)
		var csv bytes.Buffer
		res, err := account.IssueLettersTx(ctx, tx, s.secret, &csv, opt)
		if err != nil {
			return err
		}
		sealed, err := seal(s.key, id, csv.Bytes())
		if err != nil {
			return err
		}
		if err := finish(ctx, tx, id, Result{Issued: res.Issued, Replaced: res.Replaced}, sealed); err != nil {
			return err
		}
		return jobs.CompleteTx(ctx, tx, job)
	}, func(tx pgx.Tx) error { return jobs.CompleteTx(ctx, tx, job) })
}

// finish records a run that ended well, in its work's transaction.
func finish(ctx context.Context, tx pgx.Tx, id int64, res Result, output []byte) error {
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE batch_runs SET state = 'done', upload = NULL, output = $3, result = $2, finished_at = clock_timestamp(),
		done = total, error = '' WHERE id = $1`, id, raw, output)
	if err != nil {
		return fmt.Errorf("batch: record result: %w", err)
	}
	return operator.Record(ctx, tx, 0, "batch.done", TargetRun, id, res)
}

// errBusy means another worker holds the run.
var errBusy = errors.New("batch: run held by another worker")

// runLockClass is the first key of a run's advisory lock ("bat").
const runLockClass = 0x626174

// work runs one attempt of a run: it marks the run running (at once, for the screen), then
// in one transaction takes the run's lock, skips a run already finished, and does the
// work, which ends by recording the outcome and completing the job. A failed attempt
// leaves nothing behind; the run is marked for another try, or failed after the last.
func (s *Service) work(ctx context.Context, id int64, attempt, maxAttempts int,
	do func(tx pgx.Tx, p *progress) error, complete func(tx pgx.Tx) error) error {
	if _, err := s.db.Exec(ctx, `UPDATE batch_runs SET state = 'running', attempts = $2, started_at = coalesce(started_at, now()),
		heartbeat_at = now(), stage = '', done = 0, total = 0 WHERE id = $1 AND state IN ('queued', 'running')`, id, attempt); err != nil {
		return fmt.Errorf("batch: start run %d: %w", id, err)
	}
	p := &progress{s: s, id: id}
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var locked bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1, $2::int)`, runLockClass, id).Scan(&locked); err != nil {
			return fmt.Errorf("batch: run lock: %w", err)
		}
		if !locked {
			return errBusy
		}
		var st string
		err := tx.QueryRow(ctx, `SELECT state FROM batch_runs WHERE id = $1`, id).Scan(&st)
		if errors.Is(err, pgx.ErrNoRows) || st == StateDone || st == StateRefused || st == StateFailed {
			return complete(tx) // a second delivery of a finished run: nothing to do
		}
		if err != nil {
			return fmt.Errorf("batch: read run: %w", err)
		}
		return do(tx, p)
	})
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errBusy):
		return river.JobSnooze(busySnooze)
	case ctx.Err() != nil:
		// The instance is stopping: River hands the job out again; the screen says so.
		s.mark(context.WithoutCancel(ctx), id, StateQueued, "ポータルの停止により中断しました。自動で最初からやり直します。")
		return err
	case attempt >= maxAttempts:
		s.log.ErrorContext(ctx, "batch run failed", slog.Int64("run", id), slog.String("err", err.Error()))
		s.mark(ctx, id, StateFailed, "処理に失敗しました。何も変更していません。時間をおいてもう一度実行してください。")
		return err
	default:
		s.log.WarnContext(ctx, "batch run attempt failed", slog.Int64("run", id), slog.Int("attempt", attempt), slog.String("err", err.Error()))
		s.mark(ctx, id, StateQueued, "処理に失敗したため、自動でやり直します。")
		return err
	}
}

// mark records a run's state and message outside the work's transaction; a run that ends
// failed drops its upload.
func (s *Service) mark(ctx context.Context, id int64, state, msg string) {
	_, err := s.db.Exec(ctx, `UPDATE batch_runs SET state = $2, error = $3,
		upload = CASE WHEN $2 = 'failed' THEN NULL ELSE upload END,
		finished_at = CASE WHEN $2 = 'failed' THEN now() END
		WHERE id = $1 AND state IN ('queued', 'running')`, id, state, msg)
	if err != nil {
		s.log.ErrorContext(ctx, "batch: record run state", slog.Int64("run", id), slog.String("err", err.Error()))
	}
}

// progress writes a run's progress for the screen, outside the work's transaction (which
// nobody else sees until it commits), at most every progressEvery and at each new stage.
type progress struct {
	s     *Service
	id    int64
	mu    sync.Mutex
	last  time.Time
	stage string
}

func (p *progress) step(ctx context.Context, stage string, done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if stage == p.stage && done < total && time.Since(p.last) < progressEvery {
		return
	}
	p.stage, p.last = stage, time.Now()
	if h := p.s.hook; h != nil {
		h(p.id, stage)
	}
	if _, err := p.s.db.Exec(ctx, `UPDATE batch_runs SET stage = $2, done = $3, total = $4, heartbeat_at = now()
		WHERE id = $1 AND state = 'running'`, p.id, stage, done, total); err != nil && ctx.Err() == nil {
		p.s.log.WarnContext(ctx, "batch: record progress", slog.Int64("run", p.id), slog.String("err", err.Error()))
	}
}
