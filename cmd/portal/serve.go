package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"portal/internal/account"
	services "portal/internal/app"
	"portal/internal/jobs"
	"portal/internal/mail"
	"portal/internal/ratelimit"
	"portal/internal/web"
)

// drainTimeout bounds how long in-flight requests may take to finish once the listener is
// closed; the orchestrator's grace period must cover SHUTDOWN_DELAY plus this.
const drainTimeout = 30 * time.Second

// serveGCPercent is the garbage collector's target while serving, unless GOGC is set.
const serveGCPercent = 400

// serve migrates, then serves HTTP and runs the background workers until SIGTERM. It then
// shuts down in the order a load balancer needs: /readyz answers 503 at once, the listener
// closes SHUTDOWN_DELAY later (the balancer has stopped sending by then), requests in flight
// finish, and the job client and the mail worker stop after their work in hand.
func (a *app) serve(ctx context.Context) error {
	if os.Getenv("GOGC") == "" {
		// A page view allocates ~100 KB that dies with it, over a live heap of a few tens
		// of MB: collecting at 5× the live heap instead of 2× gives a signed-in page 13 %
		// more throughput (docs/benchmarks.md) for a heap that stays well under 200 MB.
		debug.SetGCPercent(serveGCPercent)
	}
	if err := a.migrate(ctx); err != nil {
		return err
	}
	svc, err := services.New(a.cfg, a.db, a.log, jobs.Options{})
	if err != nil {
		return err
	}
	q := svc.Jobs
	srv, err := web.New(a.cfg, svc, a.log)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	l, err := net.Listen("tcp", a.cfg.Addr())
	if err != nil {
		return err
	}

	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var workers sync.WaitGroup
	stopWorkers := func() {
		stopWork()
		stopCtx, cancel := context.WithTimeout(context.Background(), drainTimeout)
		defer cancel()
		if err := q.Stop(stopCtx); err != nil {
			a.log.Warn("jobs: stop", slog.String("err", err.Error()))
		}
		workers.Wait()
	}
	if err := a.startWorkers(workCtx, &workers, q); err != nil {
		l.Close()
		stopWorkers()
		return err
	}

	errc := make(chan error, 1)
	go func() {
		a.log.Info("serving", slog.String("addr", l.Addr().String()), slog.String("base_url", a.cfg.BaseURL))
		errc <- httpSrv.Serve(l)
	}()
	select {
	case err := <-errc:
		stopWorkers()
		return err
	case <-ctx.Done():
	}

	a.log.Info("shutting down: not ready", slog.Duration("listener_closes_in", a.cfg.ShutdownDelay))
	srv.Drain()
	// Answers during the delay close their connections, so clients reconnect through the
	// balancer to an instance that stays.
	httpSrv.SetKeepAlivesEnabled(false)
	time.Sleep(a.cfg.ShutdownDelay)
	a.log.Info("shutting down: listener closed, finishing requests in flight")
	shutCtx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	err = httpSrv.Shutdown(shutCtx)
	stopWorkers()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	a.log.Info("stopped")
	return err
}

// startWorkers starts the background work of serve: the job client, the mail worker and
// the housekeeping; each stops when ctx ends (the job client on q.Stop), finishing what it
// has in hand. An error (such as a malformed MAIL_FROM) stops serve from starting, since a
// portal that cannot mail would pile up mails unnoticed.
func (a *app) startWorkers(ctx context.Context, wg *sync.WaitGroup, q *jobs.Client) error {
	mailer, err := mail.NewWorker(a.cfg, a.db, a.log)
	if err != nil {
		return err
	}
	if a.cfg.SMTP.Configured() {
		a.log.Info("mail worker delivers over SMTP", slog.String("smtp", a.cfg.SMTP.String()))
	} else {
		a.log.Info("SMTP_HOST unset: mails go to the development mailbox", slog.String("url", a.cfg.BaseURL+"/dev/mailbox"))
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		mailer.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		a.housekeeping(ctx, time.Hour)
	}()
	return nil
}

// housekeeping drops what has no use any more: expired mailed links, failure counters of
// logins long quiet, rate-limit counters past their windows, and the bodies of mails older
// than MAIL_BODY_RETENTION (their delivery records stay). Every instance may run it; each
// step is idempotent. (River cleans its own finished jobs.)
func (a *app) housekeeping(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := account.PruneTokens(ctx, a.db); err != nil && ctx.Err() == nil {
			a.log.Warn("housekeeping: links", slog.String("err", err.Error()))
		} else if n > 0 {
			a.log.Info("housekeeping: expired links removed", slog.Int64("count", n))
		}
		if _, err := account.PruneThrottle(ctx, a.db); err != nil && ctx.Err() == nil {
			a.log.Warn("housekeeping: throttle", slog.String("err", err.Error()))
		}
		if _, err := ratelimit.Prune(ctx, a.db); err != nil && ctx.Err() == nil {
			a.log.Warn("housekeeping: rate limits", slog.String("err", err.Error()))
		}
		if n, err := mail.PruneBodies(ctx, a.db, a.cfg.MailBodyRetention); err != nil && ctx.Err() == nil {
			a.log.Warn("housekeeping: mail bodies", slog.String("err", err.Error()))
		} else if n > 0 {
			a.log.Info("housekeeping: old mail bodies pruned", slog.Int64("count", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
