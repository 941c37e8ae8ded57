// Package outbox holds the operators' steps on the mail outbox (メール送信状況): 再試行 of a
// failed mail and 再送 of a sent one, each one transaction together with its audit entry.
// Listing and reading mails is package mail's (mail.List, mail.Get).
//
// These steps live apart from package mail because mail is imported by every domain that
// sends mail (account, cardreader, …) while operator, which writes the audit trail,
// imports account: mail importing operator would close that circle.
package outbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/operator"
)

// Audit trail entries written here; the target is the mail ("mail", its id).
const (
	ActionRetry  = "mail.retry"
	ActionResend = "mail.resend"
	TargetMail   = "mail"
)

// ErrNoOperator is returned when a step is asked for without an operator to record.
var ErrNoOperator = errors.New("outbox: an operator is required")

// auditDetail is what the audit entry keeps of the mail (no address, no content).
type auditDetail struct {
	Template   string `json:"template"`
	FacilityID int64  `json:"facility_id,omitempty"`
	NewMailID  int64  `json:"new_mail_id,omitempty"`
}

// Retry puts a failed mail back in the queue with a fresh attempt budget, as operatorID,
// and records it. It returns mail.ErrNoMail, mail.ErrNotFailed (not failed, e.g. already
// retried by someone else) or mail.ErrBodyPruned, changing nothing.
func Retry(ctx context.Context, db *pgxpool.Pool, operatorID, mailID int64) error {
	if operatorID <= 0 {
		return ErrNoOperator
	}
	err := database.WithTx(ctx, db, func(tx pgx.Tx) error {
		if err := mail.Requeue(ctx, tx, mailID); err != nil {
			return err
		}
		m, err := mail.Get(ctx, tx, mailID)
		if err != nil {
			return err
		}
		return operator.Record(ctx, tx, operatorID, ActionRetry, TargetMail, mailID,
			auditDetail{Template: m.Template, FacilityID: m.FacilityID})
	})
	if err != nil {
		return fmt.Errorf("outbox: retry %d: %w", mailID, err)
	}
	return nil
}

// Resend queues a new copy of a sent mail (same recipient and content, its own
// Message-ID, linked to the original), as operatorID, records it and returns the copy's id.
// It returns mail.ErrNoMail, mail.ErrNotSent, mail.ErrBodyPruned or mail.ErrCopyPending (a
// copy is still on its way), changing nothing.
func Resend(ctx context.Context, db *pgxpool.Pool, operatorID, mailID int64) (int64, error) {
	if operatorID <= 0 {
		return 0, ErrNoOperator
	}
	var newID int64
	err := database.WithTx(ctx, db, func(tx pgx.Tx) error {
		var err error
		if newID, err = mail.Copy(ctx, tx, mailID); err != nil {
			return err
		}
		m, err := mail.Get(ctx, tx, mailID)
		if err != nil {
			return err
		}
		return operator.Record(ctx, tx, operatorID, ActionResend, TargetMail, mailID,
			auditDetail{Template: m.Template, FacilityID: m.FacilityID, NewMailID: newID})
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: resend %d: %w", mailID, err)
	}
	return newID, nil
}
