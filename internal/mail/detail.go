package mail

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// MailDetail is one mail with everything the outbox keeps of it.
type MailDetail struct {
	OutboxMail
	// MessageID is the Message-ID header's left part, the same on every attempt.
	MessageID string
	// Body is the text as sent; empty once pruned (BodyPrunedAt set, MAIL_BODY_RETENTION).
	Body         string
	BodyPrunedAt *time.Time
	// Resends are the ids of the operators' copies of this mail, oldest first.
	Resends []int64
}

// Get returns one mail, or ErrNoMail.
func Get(ctx context.Context, db database.DB, id int64) (MailDetail, error) {
	var d MailDetail
	var body *string
	err := db.QueryRow(ctx, `SELECT `+outboxColumns+`, o.message_id, o.body, o.body_pruned_at,
			ARRAY(SELECT c.id FROM mail_outbox c WHERE c.resent_from = o.id ORDER BY c.id)
		FROM mail_outbox o LEFT JOIN facilities f ON f.id = o.facility_id
		WHERE o.id = $1`, id).Scan(append(d.dest(), &d.MessageID, &body, &d.BodyPrunedAt, &d.Resends)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return MailDetail{}, ErrNoMail
	}
	if err != nil {
		return MailDetail{}, fmt.Errorf("mail: get %d: %w", id, err)
	}
	if body != nil {
		d.Body = *body
	}
	return d, nil
}
