package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
)

// catcherReply is what the outbox records as the catcher's answer.
const catcherReply = "250 stored by the development catcher (/dev/mailbox)"

// errLeaseLost means the worker's claim on a mail ran out and another worker took it.
var errLeaseLost = errors.New("mail: the claim on the mail expired before delivery")

// Catcher is the development "SMTP server": it stores each mail in mail_catcher, shown at
// /dev/mailbox, so a newcomer sees every mail without any mail server.
type Catcher struct {
	db     *pgxpool.Pool
	from   string
	domain string
}

// NewCatcher returns the catcher writing to db.
func NewCatcher(db *pgxpool.Pool, mailFrom string) (*Catcher, error) {
	from, domain, err := parseFrom(mailFrom)
	if err != nil {
		return nil, err
	}
	return &Catcher{db: db, from: SenderName + " <" + from + ">", domain: domain}, nil
}

// Send implements Sender. It stores the mail and marks its outbox row sent in one
// transaction, and only while the worker's claim holds: the catcher can never hold a mail
// twice, nor hold one the outbox still calls unsent.
func (c *Catcher) Send(ctx context.Context, m Outgoing) (Delivery, error) {
	err := database.WithTx(ctx, c.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO mail_catcher (outbox_id, message_id, from_addr, to_addr, subject, body)
			VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, "<"+m.MessageID+"@"+c.domain+">", c.from, m.To, m.Subject, m.Body); err != nil {
			return err
		}
		marked, err := markSent(ctx, tx, m.ID, m.LeaseToken, catcherReply)
		if err != nil {
			return err
		}
		if !marked {
			return errLeaseLost
		}
		return nil
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("mail: catcher: %w", err)
	}
	return Delivery{Accepted: true, Reply: catcherReply}, nil
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
