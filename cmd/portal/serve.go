package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"portal/internal/account"
	services "portal/internal/app"
	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/web"
)

// serve migrates, then serves HTTP and runs the background workers until SIGTERM; it then
// stops accepting, lets in-flight requests and the workers finish, and returns.
func (a *app) serve(ctx context.Context) error {
	if err := database.Migrate(ctx, a.db, a.log); err != nil {
		return err
	}
	srv, err := web.New(a.cfg, services.New(a.cfg, a.db, a.log), a.log)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{
		Addr:              a.cfg.Addr(),
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}

	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var workers sync.WaitGroup
	if err := a.startWorkers(workCtx, &workers); err != nil {
		stopWork()
		workers.Wait()
		return err
	}

	errc := make(chan error, 1)
	go func() {
		a.log.Info("serving", slog.String("addr", httpSrv.Addr), slog.String("base_url", a.cfg.BaseURL))
		errc <- httpSrv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		stopWork()
		workers.Wait()
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = httpSrv.Shutdown(shutCtx)
	stopWork()
	workers.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// startWorkers starts the background workers of serve; each stops when ctx ends, finishing
// what it has in hand. An error (such as a malformed MAIL_FROM) stops serve from starting,
// since a portal that cannot mail would pile up mails unnoticed.
func (a *app) startWorkers(ctx context.Context, wg *sync.WaitGroup) error {
	mailer, err := mail.NewWorker(a.cfg, a.db, a.log)
	if err != nil {
		return err
	}
	if a.cfg.SMTP.Configured() {
		a.log.Info("mail worker delivers over SMTP", slog.String("smtp", a.cfg.SMTP.String()))
	} else {
		a.log.Info("SMTP_HOST unset: mails go to the development mailbox", slog.String("url", a.cfg.BaseURL+"/dev/mailbox"))
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
// logins long quiet, and the bodies of mails older than MAIL_BODY_RETENTION (their delivery
// records stay). Every instance may run it; each step is idempotent.
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
