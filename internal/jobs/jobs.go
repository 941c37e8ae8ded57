// Package jobs is the portal's one background job system: River (github.com/riverqueue/river)
// on the portal's own PostgreSQL. A job is inserted in the transaction of the change that
// asks for it, so it exists if and only if the change commits; every `portal serve` works
// jobs, claimed with SKIP LOCKED, so any number of instances share the queue.
//
// # Adding a job to a domain package
//
// A domain package declares its job's arguments and its worker, and registers the worker
// on the Client its service is given (before Start), e.g. in internal/account:
//
//	// passwordResetMail is the job behind パスワード再設定: look the address up, mail a link.
//	type passwordResetMail struct {
//		Email string `json:"email"`
//	}
//
//	// Kind names the job in river_job; never rename a kind that may be queued.
//	func (passwordResetMail) Kind() string { return "account.password_reset_mail" }
//
//	type passwordResetWorker struct {
//		river.WorkerDefaults[passwordResetMail]
//		s *Service
//	}
//
//	func (w *passwordResetWorker) Work(ctx context.Context, job *river.Job[passwordResetMail]) error {
//		return database.WithTx(ctx, w.s.db, func(tx pgx.Tx) error {
//			… the work, mail.Enqueue in tx …
//			return jobs.CompleteTx(ctx, tx, job) // done exactly when the work commits
//		})
//	}
//
//	func NewService(db *pgxpool.Pool, q *jobs.Client, …) *Service {
//		s := &Service{db: db, jobs: q, …}
//		jobs.Register(q, &passwordResetWorker{s: s})
//		return s
//	}
//
// and inserts it from a service method with q.InsertTx(ctx, tx, passwordResetMail{Email: e}).
// A job that is also to be run on a schedule (a nightly batch) is inserted by whatever
// starts it (a subcommand, an operator's button); its worker is the same.
//
// Workers finish their job in the transaction of their work (CompleteTx) wherever the
// work writes to the database: a job then runs to completion exactly once even if the
// process dies between the work and River's own bookkeeping.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// Options tune a Client; the zero value is the production setting.
type Options struct {
	// PollInterval is how often an idle client looks for jobs when no notification woke it
	// (River's FetchPollInterval; default 1 s).
	PollInterval time.Duration
	// MaxWorkers is how many jobs one instance works at once (default 10).
	MaxWorkers int
	// SoftStopTimeout is how long Stop lets running jobs finish before cancelling them
	// (default 20 s, inside the orchestrator's grace period).
	SoftStopTimeout time.Duration
	// ForTests drops River's start-up jitter of its maintenance services (River's TestOnly),
	// which only slows tests that start and stop a client each.
	ForTests bool
}

// Client inserts and works the portal's jobs.
type Client struct {
	river   *river.Client[pgx.Tx]
	workers *river.Workers
	log     *slog.Logger
}

// New returns a client on pool. Domain services register their workers on it (Register)
// before Start; inserting works at once, started or not.
func New(pool *pgxpool.Pool, log *slog.Logger, opt Options) (*Client, error) {
	workers := river.NewWorkers()
	if opt.MaxWorkers <= 0 {
		opt.MaxWorkers = 10
	}
	if opt.SoftStopTimeout <= 0 {
		opt.SoftStopTimeout = 20 * time.Second
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.MaxWorkers}},
		Workers:           workers,
		FetchPollInterval: opt.PollInterval,
		// A job whose worker is not registered yet is an error at insert time, so a missing
		// registration shows in the first test rather than as a job nobody works.
		SkipUnknownJobCheck: false,
		SoftStopTimeout:     opt.SoftStopTimeout,
		TestOnly:            opt.ForTests,
		Logger:              log,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: new client: %w", err)
	}
	return &Client{river: rc, workers: workers, log: log}, nil
}

// Register adds the worker of one job kind; call it before Start, from the constructor of
// the domain service that owns the job.
func Register[T river.JobArgs](c *Client, w river.Worker[T]) {
	river.AddWorker(c.workers, w)
}

// InsertTx queues args in tx: the job exists if and only if tx commits, and workers are
// woken when it does.
func (c *Client) InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs) error {
	if _, err := c.river.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return nil
}

// CompleteTx marks the running job done in tx, the transaction of its work, so the work
// and its completion commit together.
func CompleteTx[T river.JobArgs](ctx context.Context, tx pgx.Tx, job *river.Job[T]) error {
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
		return fmt.Errorf("jobs: complete %s: %w", job.Kind, err)
	}
	return nil
}

// Start works jobs until Stop. ctx only bounds the start itself: stopping is Stop's job, so
// a signal can stop the web server first and the jobs after it.
func (c *Client) Start(ctx context.Context) error {
	if err := c.river.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for the running ones (cancelled after the soft stop
// timeout), or until ctx ends.
func (c *Client) Stop(ctx context.Context) error {
	if err := c.river.Stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// migrationLock serialises River's migrations between instances starting together (goose
// has its own lock; River's migrator has none).
const migrationLock = 727275

// Migrate applies River's own migrations (its tables river_job, river_leader, …); portal
// migrate and serve run it after the portal's goose migrations.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("jobs: migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock) //nolint:errcheck
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	for _, v := range res.Versions {
		log.Info("job queue migration applied", slog.Int("version", v.Version), slog.String("name", v.Name), slog.Duration("took", v.Duration))
	}
	return nil
}

// SchemaVersion names River's migrations this binary carries (the newest version), so a
// test template database can be rebuilt when River's schema changes.
func SchemaVersion() (int, error) {
	m, err := rivermigrate.New(riverpgxv5.New(nil), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, fmt.Errorf("jobs: migrator: %w", err)
	}
	all := m.AllVersions()
	if len(all) == 0 {
		return 0, nil
	}
	return all[len(all)-1].Version, nil
}
