package mail

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
)

// Worker delivers the outbox. Any number of workers, in any number of processes, may run
// on one database: a mail is claimed with FOR UPDATE SKIP LOCKED and leased by pushing its
// next_attempt_at past the time a batch can take, so no two workers hold it at once and a
// crashed worker's mails come back after the lease. It logs mail ids and statuses only,
// never addresses, subjects or bodies.
type Worker struct {
	DB     *pgxpool.Pool
	Sender Sender
	Log    *slog.Logger

	// PollInterval is how often an idle worker looks for due mails (NOTIFY wakes it sooner).
	PollInterval time.Duration
	// BatchSize is how many mails one claim takes.
	BatchSize int
	// MaxAttempts is how many failed deliveries make a mail "failed".
	MaxAttempts int
	// BaseBackoff doubles per failed attempt up to MaxBackoff, with ±20% jitter.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// SendTimeout bounds one delivery.
	SendTimeout time.Duration
}

// NewWorker returns a worker with production settings, delivering over SMTP when cfg.SMTP
// is configured and to the development catcher otherwise.
func NewWorker(cfg *config.Config, db *pgxpool.Pool, log *slog.Logger) (*Worker, error) {
	s, err := NewSender(cfg, db)
	if err != nil {
		return nil, err
	}
	return &Worker{
		DB: db, Sender: s, Log: log,
		PollInterval: 5 * time.Second,
		BatchSize:    20,
		MaxAttempts:  15, // about a day of retries with the back-off below (30s doubling, capped at 4h)
		BaseBackoff:  30 * time.Second,
		MaxBackoff:   4 * time.Hour,
		SendTimeout:  30 * time.Second,
	}, nil
}

// lease is how long a claimed batch stays invisible to other workers: longer than the
// whole batch can take, so a mail is never sent twice by two workers.
func (w *Worker) lease() time.Duration {
	return time.Duration(w.BatchSize)*w.SendTimeout + 5*time.Minute
}

// Run delivers until ctx ends; it then finishes the mail in hand, hands the rest of its
// batch back and returns.
func (w *Worker) Run(ctx context.Context) {
	wake := make(chan struct{}, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.listen(ctx, wake)
	}()
	defer wg.Wait()
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("mail: delivery round failed", slog.String("error", err.Error()))
		}
		if err == nil && n == w.BatchSize {
			continue // more may be due
		}
		t := time.NewTimer(w.PollInterval)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-wake:
		}
		t.Stop()
	}
}

// listen turns NOTIFY mail_outbox (sent by Enqueue on commit) into a wake-up; polling
// still covers retries and lost connections.
func (w *Worker) listen(ctx context.Context, wake chan<- struct{}) {
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, w.DB.Config().ConnConfig.Copy())
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				for {
					if _, err = conn.WaitForNotification(ctx); err != nil {
						break
					}
					select {
					case wake <- struct{}{}:
					default:
					}
				}
			}
			_ = conn.Close(context.WithoutCancel(ctx))
		}
		if ctx.Err() != nil {
			return
		}
		w.Log.Debug("mail: listen connection lost; polling", slog.String("error", err.Error()))
		t := time.NewTimer(w.PollInterval)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

// claimed is one mail of a claimed batch.
type claimed struct {
	Outgoing
	attempts int
}

// RunOnce claims one batch of due mails and delivers it, returning how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, nil
	}
	// The claim and the marking run to completion even when ctx ends meanwhile: a claim
	// cancelled after the server ran it would hide its mails until the lease ran out, and a
	// sent mail left unmarked would be sent again. Unsent mails of the batch are released.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.lease())
	defer cancel()
	claimCtx, cancelClaim := context.WithTimeout(bg, 30*time.Second)
	batch, err := w.claim(claimCtx)
	cancelClaim()
	if err != nil {
		return 0, err
	}
	var errs []error
	for i, m := range batch {
		if ctx.Err() != nil {
			errs = append(errs, w.release(bg, batch[i:]))
			break
		}
		sendCtx, cancel := context.WithTimeout(bg, w.SendTimeout)
		sendErr := w.Sender.Send(sendCtx, m.Outgoing)
		cancel()
		if sendErr == nil {
			errs = append(errs, w.markSent(bg, m))
		} else {
			errs = append(errs, w.markFailed(bg, m, sendErr))
		}
	}
	return len(batch), errors.Join(errs...)
}

func (w *Worker) claim(ctx context.Context) ([]claimed, error) {
	rows, err := w.DB.Query(ctx, `UPDATE mail_outbox
		SET attempts = attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
		WHERE id IN (
			SELECT id FROM mail_outbox
			WHERE status = 'pending' AND next_attempt_at <= now()
			ORDER BY next_attempt_at, id
			LIMIT $1
			FOR UPDATE SKIP LOCKED)
		RETURNING id, message_id, to_addr, subject, body, attempts`,
		w.BatchSize, w.lease().Milliseconds())
	if err != nil {
		return nil, fmt.Errorf("mail: claim: %w", err)
	}
	batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (claimed, error) {
		var c claimed
		err := r.Scan(&c.ID, &c.MessageID, &c.To, &c.Subject, &c.Body, &c.attempts)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("mail: claim: %w", err)
	}
	// UPDATE … RETURNING does not keep the subquery's order; send oldest first.
	slices.SortFunc(batch, func(a, b claimed) int { return cmp.Compare(a.ID, b.ID) })
	return batch, nil
}

func (w *Worker) markSent(ctx context.Context, m claimed) error {
	_, err := w.DB.Exec(ctx, `UPDATE mail_outbox SET status = 'sent', sent_at = now(), last_error = NULL
		WHERE id = $1`, m.ID)
	if err != nil {
		// The mail went out but is still leased as pending: it will be sent again after
		// the lease unless this is fixed, so say so loudly.
		w.Log.Error("mail: sent but not marked", slog.Int64("mail_id", m.ID), slog.String("error", err.Error()))
		return fmt.Errorf("mail: mark %d sent: %w", m.ID, err)
	}
	w.Log.Info("mail sent", slog.Int64("mail_id", m.ID), slog.Int("attempt", m.attempts))
	return nil
}

func (w *Worker) markFailed(ctx context.Context, m claimed, sendErr error) error {
	msg := sendErr.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	status := "pending"
	if m.attempts >= w.MaxAttempts {
		status = "failed"
	}
	_, err := w.DB.Exec(ctx, `UPDATE mail_outbox
		SET status = $2, last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'
		WHERE id = $1`, m.ID, status, toValidUTF8(msg), w.backoff(m.attempts).Milliseconds())
	// The error text can name the recipient, so it goes to the table (for operators), not the log.
	w.Log.Warn("mail not delivered", slog.Int64("mail_id", m.ID), slog.Int("attempt", m.attempts),
		slog.String("status", status), slog.String("reason", failureKind(sendErr)))
	if err != nil {
		return fmt.Errorf("mail: mark %d failed: %w", m.ID, err)
	}
	return nil
}

// release hands claimed but unsent mails back at once, uncounted.
func (w *Worker) release(ctx context.Context, rest []claimed) error {
	ids := make([]int64, len(rest))
	for i, m := range rest {
		ids[i] = m.ID
	}
	_, err := w.DB.Exec(ctx, `UPDATE mail_outbox SET attempts = attempts - 1, next_attempt_at = now()
		WHERE id = ANY($1) AND status = 'pending'`, ids)
	if err != nil {
		return fmt.Errorf("mail: release: %w", err)
	}
	return nil
}

// backoff is the wait after the given failed attempt: BaseBackoff·2^(attempt-1), capped at
// MaxBackoff, ±20% so that mails failed together do not retry together.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.BaseBackoff
	for i := 1; i < attempt && d < w.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.MaxBackoff)
	jitter := time.Duration(float64(d) * 0.4 * (rand.Float64() - 0.5))
	return max(d+jitter, time.Millisecond)
}

func toValidUTF8(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
