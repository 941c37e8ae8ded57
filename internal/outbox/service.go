package outbox

import (
	"context"
	"errors"
	"regexp"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/mail"
	"portal/internal/operator"
)

// Service is メール送信状況 for the back office: the outbox list and one mail's record, and
// the operators' 再試行 and 再送.
type Service struct{ db *pgxpool.Pool }

// NewService returns the service on db.
func NewService(db *pgxpool.Pool) *Service { return &Service{db: db} }

// List returns one page of the outbox (mail.List).
func (s *Service) List(ctx context.Context, q mail.ListQuery) (mail.ListPage, error) {
	return mail.List(ctx, s.db, q)
}

// Detail is one mail with its delivery history: the mail's own record, the copies
// operators resent, the mail it copies, and the operators' steps on it.
type Detail struct {
	mail.MailDetail
	// Copies are the operators' 再送 of this mail, oldest first.
	Copies []mail.OutboxMail
	// Original is the mail this one is a copy of, nil if none.
	Original *mail.OutboxMail
	// Steps are the audit entries of 再試行 and 再送 on this mail, newest first.
	Steps []operator.AuditEntry
}

// Get returns one mail with its history, or mail.ErrNoMail. The text is the mail as sent
// but for the tokens of its single-use links (HideTokens).
func (s *Service) Get(ctx context.Context, id int64) (Detail, error) {
	m, err := mail.Get(ctx, s.db, id)
	if err != nil {
		return Detail{}, err
	}
	m.Body = HideTokens(m.Body)
	d := Detail{MailDetail: m}
	for _, c := range m.Resends {
		cm, err := mail.Get(ctx, s.db, c)
		if err != nil {
			return Detail{}, err
		}
		d.Copies = append(d.Copies, cm.OutboxMail)
	}
	if m.ResentFrom != 0 {
		o, err := mail.Get(ctx, s.db, m.ResentFrom)
		switch {
		case err == nil:
			d.Original = &o.OutboxMail
		case !errors.Is(err, mail.ErrNoMail):
			return Detail{}, err
		}
	}
	d.Steps, err = operator.AuditEntries(ctx, s.db, operator.AuditQuery{TargetType: TargetMail, TargetID: id, Limit: 100})
	return d, err
}

// Retry is Retry by op.
func (s *Service) Retry(ctx context.Context, op operator.Operator, id int64) error {
	return Retry(ctx, s.db, op.ID, id)
}

// Resend is Resend by op; it returns the copy's id.
func (s *Service) Resend(ctx context.Context, op operator.Operator, id int64) (int64, error) {
	return Resend(ctx, s.db, op.ID, id)
}

// linkToken finds the token of a single-use link (registration, password reset, address
// change: …?token=…) in a mail's text.
var linkToken = regexp.MustCompile(`([?&]token=)[A-Za-z0-9_\-]+`)

// TokenMask stands for a link's token on the operators' pages.
const TokenMask = "********"

// HideTokens masks the tokens of single-use links in a mail's text. Operators read a mail
// to answer a caller, but a live link would let whoever reads it set a facility's
// password or finish its registration; the stored mail keeps the token, so 再送 still
// sends a working link to the facility's own address.
func HideTokens(body string) string {
	return linkToken.ReplaceAllString(body, "${1}"+TokenMask)
}
