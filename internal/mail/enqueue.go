package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"portal/internal/database"
)

// ErrBadAddress is returned by Send and Enqueue for a recipient that is not a plain mail
// address.
var ErrBadAddress = errors.New("mail: not a valid recipient address")

// Message is one mail to write to the outbox.
type Message struct {
	// To is the recipient, a bare address such as user@example.jp.
	To string
	// Template names the file in templates/ (without .txt); Data is its typed data (data.go).
	Template string
	Data     any
	// FacilityID is the facility the mail is about, 0 when there is none (a registration
	// link for an address not yet tied to a facility). It lets operators filter the outbox
	// by facility.
	FacilityID int64
}

// Send renders m and writes it to the outbox in the caller's transaction (db is a pgx.Tx or
// the pool), so the mail exists iff the change commits; it returns the outbox row's id. A
// template that lacks data, an unknown template or a malformed address is an error, and
// the caller's transaction should then roll back.
func Send(ctx context.Context, db database.DB, m Message) (int64, error) {
	if err := checkAddress(m.To); err != nil {
		return 0, err
	}
	subject, body, err := Render(m.Template, m.Data)
	if err != nil {
		return 0, err
	}
	// The NOTIFY is delivered when the transaction commits, waking an idle worker.
	var id int64
	err = db.QueryRow(ctx, `WITH m AS (
			INSERT INTO mail_outbox (message_id, template, to_addr, subject, body, facility_id)
			VALUES ($1, $2, $3, $4, $5, NULLIF($6::bigint, 0)) RETURNING id)
		SELECT m.id FROM m, LATERAL pg_notify($7, m.id::text) AS n`,
		newMessageID(), m.Template, m.To, subject, body, m.FacilityID, notifyChannel).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("mail: enqueue %s: %w", m.Template, err)
	}
	return id, nil
}

// Enqueue is Send for a mail that is about no particular facility (or whose caller does not
// know it yet): Send(ctx, db, Message{To: to, Template: name, Data: data}).
func Enqueue(ctx context.Context, db database.DB, to, name string, data any) error {
	_, err := Send(ctx, db, Message{To: to, Template: name, Data: data})
	return err
}

// checkAddress accepts a bare address such as user@example.jp, nothing more.
func checkAddress(to string) error {
	if to == "" || len(to) > 254 || strings.ContainsAny(to, "\r\n<>\" ,;") {
		return ErrBadAddress
	}
	a, err := mail.ParseAddress(to)
	if err != nil || a.Address != to || !strings.Contains(to, "@") {
		return ErrBadAddress
	}
	return nil
}

// newMessageID returns the random left part of a mail's Message-ID, stored in its outbox
// row; the sender adds "@" and the domain of MAIL_FROM. Every attempt at one row sends the
// same Message-ID, so a receiving server can drop a repeat; an operator's 再送 is a new row
// and so a new Message-ID, since that copy is meant to arrive. Random rather than the row's
// id, so that Message-IDs do not reveal how many mails the portal sends.
func newMessageID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
