package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// The store half of the operators' 再試行 and 再送. Call them through package outbox, whose
// Retry and Resend add the audit entry in the same transaction.
var (
	// ErrNotFailed: only a failed mail can be retried (another operator may have retried
	// it a moment ago).
	ErrNotFailed = errors.New("mail: the mail has not failed")
	// ErrNotSent: only a sent mail can be resent.
	ErrNotSent = errors.New("mail: the mail has not been sent")
	// ErrBodyPruned: the mail's body is gone (MAIL_BODY_RETENTION), so it cannot go out again.
	ErrBodyPruned = errors.New("mail: the mail's body has been pruned")
	// ErrCopyPending: a copy of the mail is already queued or sending, so a second 再送
	// (a double click, two operators at once) does not mail the facility twice.
	ErrCopyPending = errors.New("mail: a copy of the mail is already on its way")
)

// Requeue puts a failed mail back in the queue, due now, with a fresh attempt budget; its
// last error stays until the next attempt. Run it in the transaction of the audit entry.
func Requeue(ctx context.Context, db database.DB, id int64) error {
	var status string
	var pruned bool
	err := db.QueryRow(ctx, `SELECT status, body IS NULL FROM mail_outbox WHERE id = $1 FOR UPDATE`, id).Scan(&status, &pruned)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNoMail
	}
	if err != nil {
		return fmt.Errorf("mail: requeue %d: %w", id, err)
	}
	switch {
	case status != StatusFailed:
		return ErrNotFailed
	case pruned:
		return ErrBodyPruned
	}
	// The NOTIFY wakes a worker when the transaction commits.
	_, err = db.Exec(ctx, `WITH m AS (
			UPDATE mail_outbox SET status = 'queued', attempts = 0, next_attempt_at = now(), lease_token = NULL
			WHERE id = $1 RETURNING id)
		SELECT pg_notify($2, m.id::text) FROM m`, id, notifyChannel)
	if err != nil {
		return fmt.Errorf("mail: requeue %d: %w", id, err)
	}
	return nil
}

// Copy queues a new mail with the content, recipient and facility of a sent one, linked to
// it (resent_from) and with its own Message-ID, since this copy is meant to arrive even
// where the first did; it returns the new mail's id. Run it in the transaction of the
// audit entry.
func Copy(ctx context.Context, db database.DB, id int64) (int64, error) {
	var status string
	var pruned, pending bool
	// Locking the original makes two 再送 at once queue one copy: the second waits here, and
	// its next statement, with a snapshot taken after the first committed, sees the copy.
	err := db.QueryRow(ctx, `SELECT status, body IS NULL FROM mail_outbox WHERE id = $1 FOR UPDATE`, id).Scan(&status, &pruned)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNoMail
	}
	if err == nil {
		err = db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM mail_outbox WHERE resent_from = $1 AND status IN ('queued', 'sending'))`,
			id).Scan(&pending)
	}
	if err != nil {
		return 0, fmt.Errorf("mail: copy %d: %w", id, err)
	}
	switch {
	case status != StatusSent:
		return 0, ErrNotSent
	case pruned:
		return 0, ErrBodyPruned
	case pending:
		return 0, ErrCopyPending
	}
	var newID int64
	err = db.QueryRow(ctx, `WITH m AS (
			INSERT INTO mail_outbox (message_id, template, to_addr, subject, body, facility_id, resent_from)
			SELECT $2, template, to_addr, subject, body, facility_id, id FROM mail_outbox WHERE id = $1
			RETURNING id)
		SELECT m.id FROM m, LATERAL pg_notify($3, m.id::text) AS n`, id, newMessageID(), notifyChannel).Scan(&newID)
	if err != nil {
		return 0, fmt.Errorf("mail: copy %d: %w", id, err)
	}
	return newID, nil
}
