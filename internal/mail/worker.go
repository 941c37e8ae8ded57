package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
	"portal/internal/database"
)

// Worker delivers the outbox. Any number of workers, in any number of processes, may run
// on one database. A worker claims one due mail at a time (FOR UPDATE SKIP LOCKED): the
// row becomes 'sending' under a lease of about a minute, named by a fresh lease token, and
// is marked 'sent' once the server has accepted it, or put back as 'queued' for a retry.
// A worker killed in between leaves the row 'sending'; when the lease is over another
// worker takes it again. Every attempt sends the row's one Message-ID, so a receiver can
// drop the rare repeat. The worker logs mail ids and statuses only, never addresses,
// subjects or bodies.
type Worker struct {
	DB     *pgxpool.Pool
	Sender Sender
	Log    *slog.Logger

	// PollInterval is how often an idle worker looks for due mails (NOTIFY wakes it sooner).
	PollInterval time.Duration
	// BatchSize is how many mails one RunOnce delivers (one claim each) before it returns.
	BatchSize int
	// MaxAttempts is how many failed deliveries make a mail "failed".
	MaxAttempts int
	// BaseBackoff doubles per failed attempt up to MaxBackoff, with ±20% jitter.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	// Lease is how long a claimed mail stays with its worker before another may take it:
	// one delivery and its marking must fit in it, and it is how late a mail held by a
	// killed worker goes out (a password reset link lives an hour).
	Lease time.Duration
	// SendTimeout bounds one delivery, every SMTP step included; it is held to half the
	// Lease so that a slow server cannot make a delivery outlive its claim.
	SendTimeout time.Duration
	// BulkInterval is the least time between two broadcast mails (一斉送信), over every
	// worker of every instance: 1/BROADCAST_RATE. Zero sends them as fast as the rest.
	BulkInterval time.Duration
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
		Lease:        time.Minute,
		SendTimeout:  20 * time.Second,
		BulkInterval: cfg.BroadcastInterval(),
	}, nil
}

// sendTimeout is SendTimeout held under the lease.
func (w *Worker) sendTimeout() time.Duration {
	return min(w.SendTimeout, w.Lease/2)
}

// Run delivers until ctx ends; it then finishes the mail in hand and returns.
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
		n, paced, err := w.runOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("mail: delivery round failed", slog.String("error", err.Error()))
		}
		if err == nil && n == w.BatchSize {
			continue // more may be due
		}
		// A broadcast mail due but held back by the pace is taken when its turn comes.
		wait := w.PollInterval
		if paced > 0 && paced < wait {
			wait = paced
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-wake:
		}
		t.Stop()
	}
}

// listen turns NOTIFY mail_outbox (sent by Send on commit) into a wake-up; polling still
// covers retries, expired leases and lost connections.
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

// claimed is a mail this worker holds.
type claimed struct {
	Outgoing
	attempts int
	leaseEnd time.Time
}

// RunOnce delivers up to BatchSize due mails, claiming each just before sending it, and
// returns how many it claimed. It stops early when ctx ends, finishing the mail in hand.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	n, _, err := w.runOnce(ctx)
	return n, err
}

// runOnce is RunOnce that also says, when it stopped because the broadcast pace held a due
// broadcast mail back, how long until the pace lets the next one go.
func (w *Worker) runOnce(ctx context.Context) (int, time.Duration, error) {
	// Claims and markings run to completion even when ctx ends meanwhile: a claim cancelled
	// after the server ran it would hide its mail until the lease ran out, and a delivered
	// mail left unmarked would be sent again.
	bg := context.WithoutCancel(ctx)
	var errs []error
	n := 0
	var paced time.Duration
	for n < w.BatchSize && ctx.Err() == nil {
		claimCtx, cancel := context.WithTimeout(bg, w.Lease/4)
		var m claimed
		var ok bool
		var err error
		m, ok, paced, err = w.nextClaim(claimCtx)
		cancel()
		if err != nil {
			errs = append(errs, err)
			break
		}
		if !ok {
			break
		}
		n++
		errs = append(errs, w.deliver(bg, m))
	}
	return n, paced, errors.Join(errs...)
}

// claim takes the oldest due mail: queued and due, or 'sending' under an expired lease (its
// worker died). ok is false when nothing is due. Transactional mails come first; a broadcast
// mail only when none is due and the broadcast pace allows (see nextClaim).
func (w *Worker) claim(ctx context.Context) (m claimed, ok bool, err error) {
	m, ok, _, err = w.nextClaim(ctx)
	return m, ok, err
}

// claimReturning is what a claim reads of the mail it took.
const claimReturning = `RETURNING id, message_id, to_addr, subject, body, lease_token::text, attempts, next_attempt_at`

// claimTransactional takes the oldest due mail that belongs to no broadcast (its own
// partial index, so a quarter of a million queued broadcast mails are never scanned).
const claimTransactional = `UPDATE mail_outbox
	SET status = 'sending', attempts = attempts + 1, lease_token = gen_random_uuid(),
		next_attempt_at = now() + $1 * interval '1 millisecond'
	WHERE id = (
		SELECT id FROM mail_outbox
		WHERE status IN ('queued', 'sending') AND broadcast_id IS NULL AND next_attempt_at <= now()
		ORDER BY next_attempt_at, id
		LIMIT 1
		FOR UPDATE SKIP LOCKED) ` + claimReturning

// claimBulk takes the oldest due broadcast mail when the shared pace allows one now, and
// moves the pace on by $2 microseconds from the later of its slot and now, so an idle spell
// earns no burst. The pace is spent only when a broadcast mail is due.
const claimBulk = `WITH pace AS (
		UPDATE mail_bulk_pace SET next_at = greatest(next_at, now()) + $2::bigint * interval '1 microsecond'
		WHERE next_at <= now() AND EXISTS (
			SELECT 1 FROM mail_outbox
			WHERE status IN ('queued', 'sending') AND broadcast_id IS NOT NULL AND next_attempt_at <= now())
		RETURNING 1)
	UPDATE mail_outbox
	SET status = 'sending', attempts = attempts + 1, lease_token = gen_random_uuid(),
		next_attempt_at = now() + $1 * interval '1 millisecond'
	WHERE id = (
		SELECT id FROM mail_outbox
		WHERE status IN ('queued', 'sending') AND broadcast_id IS NOT NULL AND next_attempt_at <= now()
			AND ($2::bigint = 0 OR EXISTS (SELECT 1 FROM pace))
		ORDER BY next_attempt_at, id
		LIMIT 1
		FOR UPDATE SKIP LOCKED) ` + claimReturning

// bulkWait says how long until the pace lets the next broadcast mail go, when one is due.
const bulkWait = `SELECT coalesce(extract(epoch FROM p.next_at - now()), 0)::float8 FROM mail_bulk_pace p
	WHERE p.next_at > now() AND EXISTS (
		SELECT 1 FROM mail_outbox
		WHERE status IN ('queued', 'sending') AND broadcast_id IS NOT NULL AND next_attempt_at <= now())`

// nextClaim takes the next mail to deliver: a due transactional mail if there is one, else
// a due broadcast mail if the pace allows. When the pace holds a due broadcast mail back,
// ok is false and paced is how long until it may go.
func (w *Worker) nextClaim(ctx context.Context) (m claimed, ok bool, paced time.Duration, err error) {
	if m, ok, err = w.claimWith(ctx, claimTransactional, w.Lease.Milliseconds()); err != nil || ok {
		return m, ok, 0, err
	}
	if m, ok, err = w.claimWith(ctx, claimBulk, w.Lease.Milliseconds(), w.BulkInterval.Microseconds()); err != nil || ok || w.BulkInterval <= 0 {
		return m, ok, 0, err
	}
	var secs float64
	err = w.DB.QueryRow(ctx, bulkWait).Scan(&secs)
	if errors.Is(err, pgx.ErrNoRows) {
		return claimed{}, false, 0, nil
	}
	if err != nil {
		return claimed{}, false, 0, fmt.Errorf("mail: broadcast pace: %w", err)
	}
	return claimed{}, false, max(time.Duration(secs*float64(time.Second)), time.Millisecond), nil
}

// claimWith runs one of the claim statements.
func (w *Worker) claimWith(ctx context.Context, query string, args ...any) (m claimed, ok bool, err error) {
	var body *string
	err = w.DB.QueryRow(ctx, query, args...).Scan(&m.ID, &m.MessageID, &m.To, &m.Subject, &body, &m.LeaseToken, &m.attempts, &m.leaseEnd)
	if errors.Is(err, pgx.ErrNoRows) {
		return claimed{}, false, nil
	}
	if err != nil {
		return claimed{}, false, fmt.Errorf("mail: claim: %w", err)
	}
	if body != nil {
		m.Body = *body
	}
	return m, true, nil
}

// deliver sends one claimed mail and records the outcome.
func (w *Worker) deliver(ctx context.Context, m claimed) error {
	if m.Body == "" {
		// Only sent and failed mails lose their bodies (PruneBodies); never send an empty mail.
		return w.markFailed(ctx, m, errors.New("mail: the body was pruned"))
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.sendTimeout())
	d, sendErr := w.Sender.Send(sendCtx, m.Outgoing)
	cancel()
	if !d.Accepted {
		return w.markFailed(ctx, m, sendErr)
	}
	if sendErr != nil {
		// Accepted, then QUIT or the connection failed: delivered, so recorded as sent.
		w.Log.Warn("mail accepted; the session failed afterwards", slog.Int64("mail_id", m.ID),
			slog.String("reason", failureKind(sendErr)))
	}
	return w.recordSent(ctx, m, d.Reply)
}

// recordSent marks a delivered mail, retrying while its lease lasts: a mail left unmarked
// goes out again once the lease is over.
func (w *Worker) recordSent(ctx context.Context, m claimed, reply string) error {
	for wait := 100 * time.Millisecond; ; wait *= 2 {
		markCtx, cancel := context.WithTimeout(ctx, w.Lease/4)
		_, err := markSent(markCtx, w.DB, m.ID, "", reply)
		cancel()
		if err == nil {
			w.Log.Info("mail sent", slog.Int64("mail_id", m.ID), slog.Int("attempt", m.attempts))
			return nil
		}
		if time.Now().Add(wait).After(m.leaseEnd) {
			// The mail will be sent again after the lease, with the same Message-ID.
			w.Log.Error("mail: sent but not marked", slog.Int64("mail_id", m.ID), slog.String("error", err.Error()))
			return fmt.Errorf("mail: mark %d sent: %w", m.ID, err)
		}
		time.Sleep(wait)
	}
}

// markSent records a mail as delivered with the server's answer. With a lease token it
// does so only while that claim holds (the catcher, inside its transaction); without one
// it does so whatever happened to the claim meanwhile, since the mail is delivered. It
// reports whether it changed the row.
func markSent(ctx context.Context, db database.DB, id int64, leaseToken, reply string) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE mail_outbox
		SET status = 'sent', sent_at = now(), smtp_reply = $3, last_error = NULL, lease_token = NULL
		WHERE id = $1 AND status <> 'sent'
		  AND ($2 = '' OR (status = 'sending' AND lease_token::text = $2))`, id, leaseToken, reply)
	if err != nil {
		return false, fmt.Errorf("mail: mark %d sent: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// markFailed records a failed attempt: queued again after a back-off, or failed after the
// last attempt. It changes nothing if the claim expired and another worker holds the mail.
func (w *Worker) markFailed(ctx context.Context, m claimed, sendErr error) error {
	if sendErr == nil {
		sendErr = errors.New("mail: not accepted")
	}
	msg := toValidUTF8(sendErr.Error())
	if len(msg) > 1000 {
		msg = strings.ToValidUTF8(msg[:1000], "")
	}
	status := StatusQueued
	if m.attempts >= w.MaxAttempts {
		status = StatusFailed
	}
	markCtx, cancel := context.WithTimeout(ctx, w.Lease/4)
	defer cancel()
	_, err := w.DB.Exec(markCtx, `UPDATE mail_outbox
		SET status = $3, last_error = $4, lease_token = NULL, next_attempt_at = now() + $5 * interval '1 millisecond'
		WHERE id = $1 AND status = 'sending' AND lease_token = $2::uuid`,
		m.ID, m.LeaseToken, status, msg, w.backoff(m.attempts).Milliseconds())
	// The error text can name the recipient, so it goes to the table (for operators), not the log.
	w.Log.Warn("mail not delivered", slog.Int64("mail_id", m.ID), slog.Int("attempt", m.attempts),
		slog.String("status", status), slog.String("reason", failureKind(sendErr)))
	if err != nil {
		return fmt.Errorf("mail: mark %d failed: %w", m.ID, err)
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
