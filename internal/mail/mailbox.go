package mail

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Mailbox reads the development catcher's mails for /dev/mailbox.
type Mailbox struct{ db *pgxpool.Pool }

// NewMailbox returns the catcher's mailbox on db.
func NewMailbox(db *pgxpool.Pool) *Mailbox { return &Mailbox{db: db} }

// List returns a page of caught mails, newest first, and how many there are.
func (m *Mailbox) List(ctx context.Context, limit, offset int) ([]CaughtMail, int, error) {
	return ListCaught(ctx, m.db, limit, offset)
}
