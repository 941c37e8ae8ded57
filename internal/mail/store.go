package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// Status of an outbox mail.
const (
	StatusPending = "pending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
)

// ErrNoMail is returned when a mail id does not exist.
var ErrNoMail = errors.New("mail: no such mail")

// OutboxMail is one row of the outbox, for the operators' list (メール送信状況).
type OutboxMail struct {
	ID            int64
	Template      string
	To            string
	Subject       string
	Body          string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// ListOutbox returns mails newest first, optionally only those with status (""=all), and
// the total count for paging.
func ListOutbox(ctx context.Context, db database.DB, status string, limit, offset int) ([]OutboxMail, int, error) {
	var total int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE $1 = '' OR status = $1`, status).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("mail: count outbox: %w", err)
	}
	rows, err := db.Query(ctx, `SELECT id, template, to_addr, subject, body, status, attempts, next_attempt_at,
			coalesce(last_error, ''), created_at, sent_at
		FROM mail_outbox WHERE $1 = '' OR status = $1
		ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, status, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list outbox: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMail, error) {
		var m OutboxMail
		err := r.Scan(&m.ID, &m.Template, &m.To, &m.Subject, &m.Body, &m.Status, &m.Attempts, &m.NextAttemptAt,
			&m.LastError, &m.CreatedAt, &m.SentAt)
		return m, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list outbox: %w", err)
	}
	return list, total, nil
}

// Resend puts a sent or failed mail back in the queue as a new copy (same content, new
// Message-ID), keeping the original's record; it returns the new mail's id.
func Resend(ctx context.Context, db database.DB, id int64) (int64, error) {
	var newID int64
	err := db.QueryRow(ctx, `WITH m AS (
			INSERT INTO mail_outbox (message_id, template, to_addr, subject, body)
			SELECT $2, template, to_addr, subject, body FROM mail_outbox WHERE id = $1
			RETURNING id)
		SELECT m.id FROM m, LATERAL pg_notify($3, m.id::text) AS n`, id, newMessageID(), notifyChannel).Scan(&newID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNoMail
	}
	if err != nil {
		return 0, fmt.Errorf("mail: resend %d: %w", id, err)
	}
	return newID, nil
}

// CaughtMail is a mail the development catcher received.
type CaughtMail struct {
	ID         int64
	MessageID  string
	From       string
	To         string
	Subject    string
	Body       string
	ReceivedAt time.Time
}

// ListCaught returns the catcher's mails newest first, and their total count.
func ListCaught(ctx context.Context, db database.DB, limit, offset int) ([]CaughtMail, int, error) {
	var total int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM mail_catcher`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("mail: count caught: %w", err)
	}
	rows, err := db.Query(ctx, `SELECT id, message_id, from_addr, to_addr, subject, body, received_at
		FROM mail_catcher ORDER BY received_at DESC, id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list caught: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CaughtMail, error) {
		var m CaughtMail
		err := r.Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &m.Body, &m.ReceivedAt)
		return m, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("mail: list caught: %w", err)
	}
	return list, total, nil
}
