package facility

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/operator"
)

// How much of each list the facility page shows; the outbox and audit pages have the rest.
const (
	pageMails    = 20
	pageEvents   = 200
	pageMessages = 50
	pageAudit    = 100
)

// Detail is everything the portal holds about one facility, for its page.
type Detail struct {
	Facility account.Facility
	// Account is the registered account, nil when there is none.
	Account *Account
	// Credentials are every provisional credential ever issued, newest first.
	Credentials []Credential
	// Applications are the kinds' overviews, in the order of the service's kinds.
	Applications []ApplicationOverview
	// Events are every application's history, newest first.
	Events []application.Event
	// Mails are the newest mails about the facility or to its account's address.
	Mails []mail.OutboxMail
	// Messages are the documents addressed to it (個別の保険医療機関等に宛てた文書).
	Messages []account.Message
	// Audit is the trail of operators' steps on the facility and its applications.
	Audit []operator.AuditEntry
	// Version is what the operator saw, for the optimistic check of a step.
	Version string
}

// Account is a facility's account as the call center sees it.
type Account struct {
	account.Account
	LastSignInAt *time.Time
	// LockedUntil is when a sign-in lock-out ends, nil when it is not locked.
	LockedUntil *time.Time
}

// State is the facility's account state in a word or two.
func (d Detail) State() string {
	if d.Account != nil && d.Account.LockedUntil != nil {
		return StateRegistered + "・" + StateLocked
	}
	return accountState(d.Account != nil, d.LiveCredential() != nil)
}

// LiveCredential is the facility's unused, undeleted provisional credential, if any.
func (d Detail) LiveCredential() *Credential {
	for i := range d.Credentials {
		if d.Credentials[i].Live() {
			return &d.Credentials[i]
		}
	}
	return nil
}

// Locked reports whether a sign-in lock-out holds.
func (d Detail) Locked() bool { return d.Account != nil && d.Account.LockedUntil != nil }

// Credential is one provisional credential, as the facility page lists it.
type Credential struct {
	ID           int64
	Kind         string
	LoginID      string
	IssuedAt     time.Time
	UsedAt       *time.Time
	DeletedAt    *time.Time
	DeletedBy    string
	DeleteReason string
}

// Live reports whether the credential still signs in.
func (c Credential) Live() bool { return c.UsedAt == nil && c.DeletedAt == nil }

// KindLabel names the letter the credential was printed on.
func (c Credential) KindLabel() string {
	if c.Kind == account.KindNotice {
		return NoticeTitle
	}
	return LetterTitle
}

// ApplicationOverview is one application kind on the facility page.
type ApplicationOverview struct {
	Title string
	application.Overview
}

// Detail returns the facility's page, or ErrNotFound.
func (s *Service) Detail(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	f, err := account.FacilityByID(ctx, s.db, id)
	if errors.Is(err, account.ErrNotFound) {
		return d, ErrNotFound
	}
	if err != nil {
		return d, err
	}
	d.Facility = f
	snap, err := readSnapshot(ctx, s.db, id)
	if err != nil {
		return d, err
	}
	d.Version = snap.String()
	if d.Account, err = readAccount(ctx, s.db, id); err != nil {
		return d, err
	}
	if d.Credentials, err = readCredentials(ctx, s.db, id); err != nil {
		return d, err
	}
	for _, k := range s.kinds {
		ov, err := k.Overview(ctx, f)
		if err != nil {
			return d, err
		}
		d.Applications = append(d.Applications, ApplicationOverview{Title: k.Title, Overview: ov})
	}
	if d.Events, err = application.AllFacilityHistory(ctx, s.db, id, pageEvents); err != nil {
		return d, err
	}
	email := ""
	if d.Account != nil {
		email = d.Account.Email
	}
	if d.Mails, err = facilityMails(ctx, s.db, id, email); err != nil {
		return d, err
	}
	if d.Messages, err = account.MessagesFor(ctx, s.db, id, pageMessages); err != nil {
		return d, err
	}
	d.Audit, err = auditTrail(ctx, s.db, id, 0)
	return d, err
}

func readAccount(ctx context.Context, db database.DB, facilityID int64) (*Account, error) {
	a, err := account.ByFacility(ctx, db, facilityID)
	if errors.Is(err, account.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &Account{Account: a}
	err = db.QueryRow(ctx, `SELECT a.last_sign_in_at,
			(SELECT max(t.locked_until) FROM login_throttle t WHERE t.login = lower(a.email) AND t.locked_until > now())
		FROM accounts a WHERE a.id = $1`, a.ID).Scan(&out.LastSignInAt, &out.LockedUntil)
	if err != nil {
		return nil, fmt.Errorf("facility: account state: %w", err)
	}
	return out, nil
}

func readCredentials(ctx context.Context, db database.DB, facilityID int64) ([]Credential, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.kind, p.login_id, p.issued_at, p.used_at, p.deleted_at,
			coalesce(o.name, ''), coalesce(p.delete_reason, '')
		FROM provisional_credentials p LEFT JOIN operators o ON o.id = p.deleted_by
		WHERE p.facility_id = $1 ORDER BY p.issued_at DESC, p.id DESC`, facilityID)
	if err != nil {
		return nil, fmt.Errorf("facility: credentials: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Credential, error) {
		var c Credential
		err := r.Scan(&c.ID, &c.Kind, &c.LoginID, &c.IssuedAt, &c.UsedAt, &c.DeletedAt, &c.DeletedBy, &c.DeleteReason)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("facility: credentials: %w", err)
	}
	return list, nil
}

// facilityMails are the newest mails the outbox holds about the facility or to its
// account's address (the account mails are not tied to a facility in the outbox).
func facilityMails(ctx context.Context, db database.DB, facilityID int64, email string) ([]mail.OutboxMail, error) {
	filters := []mail.Filter{{FacilityID: facilityID}}
	if email != "" {
		filters = append(filters, mail.Filter{Address: email})
	}
	var all []mail.OutboxMail
	for _, f := range filters {
		page, err := mail.List(ctx, db, mail.ListQuery{Filter: f, Limit: pageMails})
		if err != nil {
			return nil, fmt.Errorf("facility: mails: %w", err)
		}
		for _, m := range page.Mails {
			if !slices.ContainsFunc(all, func(x mail.OutboxMail) bool { return x.ID == m.ID }) {
				all = append(all, m)
			}
		}
	}
	slices.SortFunc(all, func(a, b mail.OutboxMail) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	if len(all) > pageMails {
		all = all[:pageMails]
	}
	return all, nil
}

// auditTrail is the newest entries about the facility (TargetFacility) and about its
// applications, newer than afterID.
func auditTrail(ctx context.Context, db database.DB, facilityID, afterID int64) ([]operator.AuditEntry, error) {
	rows, err := db.Query(ctx, `SELECT l.id, l.at, coalesce(l.operator_id, 0), coalesce(o.name, ''),
			l.action, l.target_type, coalesce(l.target_id, 0), l.detail
		FROM audit_log l LEFT JOIN operators o ON o.id = l.operator_id
		WHERE l.id > $2 AND (
			(l.target_type = $3 AND l.target_id = $1)
			OR (l.target_type = 'cardreader_application' AND l.target_id IN (SELECT id FROM cardreader_applications WHERE facility_id = $1))
			OR (l.target_type = 'qualification_application' AND l.target_id IN (SELECT id FROM qualification_applications WHERE facility_id = $1))
			OR (l.target_type = 'certificate' AND l.target_id IN (SELECT id FROM certificates WHERE facility_id = $1)))
		ORDER BY l.at DESC, l.id DESC LIMIT $4`, facilityID, afterID, TargetFacility, pageAudit)
	if err != nil {
		return nil, fmt.Errorf("facility: audit trail: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (operator.AuditEntry, error) {
		var e operator.AuditEntry
		var detail []byte
		err := r.Scan(&e.ID, &e.At, &e.OperatorID, &e.OperatorName, &e.Action, &e.TargetType, &e.TargetID, &detail)
		e.Detail = json.RawMessage(detail)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("facility: audit trail: %w", err)
	}
	return list, nil
}
