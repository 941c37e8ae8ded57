package inquiry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/ratelimit"
)

// Service runs the inquiry steps, each as one call.
type Service struct {
	db      *pgxpool.Pool
	limits  *ratelimit.Limiter
	key     []byte // SESSION_SECRET: signs the form tokens
	baseURL string
	// Now is the clock of the rules; tests may set it.
	Now func() time.Time
	// MinFillTime is the least time between showing the form and sending it.
	MinFillTime time.Duration
}

// NewService returns the inquiry service on db; key signs the form tokens, baseURL is for
// links in mails.
func NewService(db *pgxpool.Pool, limits *ratelimit.Limiter, key []byte, baseURL string) *Service {
	return &Service{db: db, limits: limits, key: key, baseURL: baseURL, Now: time.Now, MinFillTime: DefaultMinFillTime}
}

// FormToken returns the token for a form shown now.
func (s *Service) FormToken() string { return NewFormToken(s.key, s.Now()) }

// Sender is who sends the form: a signed-in facility, or nobody (a visitor).
type Sender struct {
	FacilityID int64
	AccountID  int64
	// FacilityCode is the signed-in facility's 10-digit code, stored with the case.
	FacilityCode string
}

// Submit is 送信する on the inquiry form: the honeypot, the rules, the fill time, the
// limits per client and per reply address, then the case, its question and attachment
// and the receipt mail in one transaction. The same form sent
// again returns the first case's receipt with Repeated set and stores nothing. Refusals
// are ErrSpam, the token errors (ErrTooFast…), *InvalidError or *ratelimit.Exceeded.
func (s *Service) Submit(ctx context.Context, who Sender, in Input, client string) (Receipt, error) {
	if strings.TrimSpace(in.Honeypot) != "" {
		return Receipt{}, ErrSpam
	}
	// The fields first: a person who left one out hears about it at once, and the time it
	// takes to fix it counts towards the fill time.
	if errs := CheckInput(in, who.FacilityID != 0); !errs.Valid() {
		return Receipt{}, &InvalidError{Errors: errs}
	}
	now := s.Now()
	if err := CheckFormToken(s.key, in.Token, now, s.MinFillTime); err != nil {
		return Receipt{}, err
	}
	if rc, ok, err := s.sent(ctx, s.db, in.Token); err != nil || ok {
		return rc, err
	}
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.InquiryPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.InquiryPerAddress, Subject: strings.ToLower(in.Email)},
		ratelimit.Check{Limit: ratelimit.MailOverall})
	if err != nil {
		return Receipt{}, err
	}
	code := in.FacilityCode
	if who.FacilityID != 0 {
		code = who.FacilityCode
	}
	var rc Receipt
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		ref, err := NewReference(ctx, tx, now)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO inquiries (reference, channel, category, facility_id, account_id, facility_code,
				name, email, phone, form_token)
			VALUES ($1, 'form', $2, NULLIF($3::bigint, 0), NULLIF($4::bigint, 0), $5, $6, $7, $8, $9)
			ON CONFLICT (form_token) DO NOTHING RETURNING id`,
			ref, in.Category, who.FacilityID, who.AccountID, code, in.Name, in.Email, in.Phone, in.Token).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			// The same form, posted twice at once: the other request made the case.
			rc, _, err = s.sent(ctx, tx, in.Token)
			return err
		}
		if err != nil {
			return fmt.Errorf("inquiry: submit: %w", err)
		}
		msgID, _, err := addMessage(ctx, tx, id, KindQuestion, 0, in.Question, "")
		if err != nil {
			return err
		}
		if in.Attachment.Data != nil {
			if err := storeAttachment(ctx, tx, id, msgID, in.Attachment); err != nil {
				return err
			}
		}
		rc = Receipt{Reference: ref, Email: in.Email}
		_, err = mail.Send(ctx, tx, mail.Message{To: in.Email, Template: "inquiry_received", FacilityID: who.FacilityID,
			Data: mail.InquiryReceived{Name: in.Name, Reference: ref, Category: in.Category, Mypage: who.FacilityID != 0, BaseURL: s.baseURL}})
		return err
	})
	return rc, err
}

// sent returns the receipt of the case a form token already made, if any.
func (s *Service) sent(ctx context.Context, db database.DB, token string) (Receipt, bool, error) {
	var rc Receipt
	err := db.QueryRow(ctx, `SELECT reference, email FROM inquiries WHERE form_token = $1`, token).Scan(&rc.Reference, &rc.Email)
	if errors.Is(err, pgx.ErrNoRows) {
		return Receipt{}, false, nil
	}
	if err != nil {
		return Receipt{}, false, fmt.Errorf("inquiry: look up form: %w", err)
	}
	rc.Repeated = true
	return rc, true, nil
}

// FacilityCases lists the facility's cases, newest first, at most limit.
func (s *Service) FacilityCases(ctx context.Context, facilityID int64, limit int) ([]Inquiry, error) {
	rows, err := s.db.Query(ctx, `SELECT `+inquiryColumns+inquiryFrom+`WHERE i.facility_id = $1
		ORDER BY i.created_at DESC, i.id DESC LIMIT $2`, facilityID, limit)
	if err != nil {
		return nil, fmt.Errorf("inquiry: facility cases: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Inquiry, error) { return scanInquiry(r) })
	if err != nil {
		return nil, fmt.Errorf("inquiry: facility cases: %w", err)
	}
	return list, nil
}

// QueueFacilityCases queues FacilityCases on b; *into holds them once b was read.
func QueueFacilityCases(b *pgx.Batch, facilityID int64, limit int, into *[]Inquiry) {
	b.Queue(`SELECT `+inquiryColumns+inquiryFrom+`WHERE i.facility_id = $1
		ORDER BY i.created_at DESC, i.id DESC LIMIT $2`, facilityID, limit).Query(func(rows pgx.Rows) error {
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Inquiry, error) { return scanInquiry(r) })
		if err != nil {
			return fmt.Errorf("inquiry: facility cases: %w", err)
		}
		*into = list
		return nil
	})
}

// FacilityCase returns one of the facility's cases with the thread it may read (no notes,
// no events). Another facility's case is ErrNotFound, the same as none at all.
func (s *Service) FacilityCase(ctx context.Context, facilityID, id int64) (Case, error) {
	if facilityID == 0 {
		return Case{}, ErrNotFound
	}
	x, err := byID(ctx, s.db, id, facilityID, false)
	if err != nil {
		return Case{}, err
	}
	msgs, err := thread(ctx, s.db, id, false)
	if err != nil {
		return Case{}, err
	}
	return Case{Inquiry: x, Thread: msgs}, nil
}

// FacilityAttachment returns a file of one of the facility's cases.
func (s *Service) FacilityAttachment(ctx context.Context, facilityID, id int64) (File, error) {
	if facilityID == 0 {
		return File{}, ErrNotFound
	}
	return attachment(ctx, s.db, id, facilityID)
}

// Reply is the facility writing again in its own case's thread. A closed case refuses it
// (*ClosedError); an answered one goes back to 対応中, so the operators see it. The same
// form posted twice adds one entry.
func (s *Service) Reply(ctx context.Context, facilityID, id int64, body, token string) error {
	if facilityID == 0 {
		return ErrNotFound
	}
	var errs = checkStep(body, "返信内容", token)
	if !errs.Valid() {
		return &InvalidError{Errors: errs}
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		x, err := byID(ctx, tx, id, facilityID, true)
		if err != nil {
			return err
		}
		to, err := Next(x.Status, ActReply, BySender)
		if err != nil {
			return &ClosedError{Message: MsgClosedReply}
		}
		if _, added, err := addMessage(ctx, tx, id, KindReply, 0, body, token); err != nil || !added {
			return err
		}
		return touch(ctx, tx, id, to)
	})
}
