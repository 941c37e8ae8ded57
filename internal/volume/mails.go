package volume

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/mail"
)

// baseURL is the portal's address in the mails' links.
const baseURL = "http://127.0.0.1:8080"

// How the outbox stands: nearly all sent, some refused for good by the receiving server,
// and a few waiting for a retry. Waiting mails are due only in a hundred years, so a
// running worker never delivers a volume mail.
const (
	failedShare  = 0.01
	waitingShare = 0.002
)

// mailSpec is one mail before it is rendered.
type mailSpec struct {
	at       time.Time
	template string
	account  int // index in accounts
	app      int // index in apps, -1 for account mails
}

// fillMails writes the mail of everything the earlier steps did (アカウント登録完了, each
// application's receipt, change, delivery date and cancellation), and links asked for
// (registration, password reset) up to Counts.Mails, every body rendered from the portal's
// own templates, oldest first.
func fillMails(ctx context.Context, tx pgx.Tx, g *gen) error {
	var specs []mailSpec
	for i, a := range g.accounts {
		specs = append(specs, mailSpec{a.created, "account_registered", i, -1})
	}
	for i, a := range g.apps {
		specs = append(specs, mailSpec{a.created, "cardreader_applied", a.account, i})
		if !a.changed.IsZero() {
			specs = append(specs, mailSpec{a.changed, "cardreader_changed", a.account, i})
		}
		if !a.delivery.IsZero() {
			specs = append(specs, mailSpec{g.between(a.created, minTime(g.now, a.delivery)), "cardreader_delivery_date", a.account, i})
		}
		if !a.cancelled.IsZero() {
			specs = append(specs, mailSpec{a.cancelled, "cardreader_cancelled", a.account, i})
		}
	}
	if len(specs) > g.n.Mails {
		g.rng.Shuffle(len(specs), func(i, j int) { specs[i], specs[j] = specs[j], specs[i] })
		specs = specs[:g.n.Mails]
	}
	for len(specs) < g.n.Mails {
		ai := g.rng.IntN(len(g.accounts))
		a := g.accounts[ai]
		switch r := g.rng.Float64(); {
		case r < 0.45:
			specs = append(specs, mailSpec{a.created.Add(-time.Duration(1+g.rng.IntN(60)) * time.Minute), "register_url", ai, -1})
		case r < 0.75:
			specs = append(specs, mailSpec{g.between(a.created, g.now), "password_reset_url", ai, -1})
		case r < 0.95:
			specs = append(specs, mailSpec{g.between(a.created, g.now), "password_changed", ai, -1})
		default:
			specs = append(specs, mailSpec{g.between(a.created, g.now), "register_existing", ai, -1})
		}
	}
	slices.SortFunc(specs, func(a, b mailSpec) int { return a.at.Compare(b.at) })

	far := g.now.AddDate(100, 0, 0)
	return g.copyRows(ctx, tx, "mail_outbox",
		[]string{"message_id", "template", "to_addr", "subject", "body", "status", "attempts", "next_attempt_at",
			"last_error", "created_at", "sent_at"},
		len(specs), func(i int) ([]any, error) {
			s := specs[i]
			subject, body, err := mail.Render(s.template, g.mailData(s))
			if err != nil {
				return nil, err
			}
			id := fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64())
			to := g.accounts[s.account].email
			switch r := g.rng.Float64(); {
			case r < failedShare:
				return []any{id, s.template, to, subject, body, mail.StatusFailed, 15, s.at.Add(26 * time.Hour),
					"550 5.1.1 Recipient address rejected: User unknown", s.at, nil}, nil
			case r < failedShare+waitingShare:
				return []any{id, s.template, to, subject, body, mail.StatusQueued, 3, far,
					"421 4.4.2 Connection timed out", s.at, nil}, nil
			}
			return []any{id, s.template, to, subject, body, mail.StatusSent, 1, s.at, nil, s.at,
				s.at.Add(time.Duration(1+g.rng.IntN(30)) * time.Second)}, nil
		})
}

// mailData is what the template of s is rendered with.
func (g *gen) mailData(s mailSpec) any {
	a := g.accounts[s.account]
	f := g.facilities[a.facility]
	ref := ""
	if s.app >= 0 {
		ref = g.apps[s.app].reference
	}
	when := s.at.In(jst)
	token := fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64())
	switch s.template {
	case "account_registered":
		return mail.AccountRegistered{FacilityName: f.name, ContactName: a.contact, Email: a.email, BaseURL: baseURL}
	case "cardreader_applied":
		return mail.CardReaderApplied{FacilityName: f.name, ReferenceNumber: ref, BaseURL: baseURL}
	case "cardreader_changed", "cardreader_cancelled":
		return mail.CardReaderApplied{FacilityName: f.name, ReferenceNumber: ref, BaseURL: baseURL}
	case "cardreader_delivery_date":
		d := g.apps[s.app].delivery.In(jst)
		return mail.CardReaderDeliveryDate{FacilityName: f.name, ReferenceNumber: ref, BaseURL: baseURL,
			DeliveryDate: d.Format("2006年1月2日") + "（" + weekdays[d.Weekday()] + "）"}
	case "register_url":
		return mail.RegistrationURL{URL: baseURL + "/register/verify?token=" + token,
			ExpiresAt: when.Add(24 * time.Hour).Format("2006年1月2日 15時04分"), BaseURL: baseURL}
	case "password_reset_url":
		return mail.PasswordResetURL{FacilityName: f.name, URL: baseURL + "/password/reset/verify?token=" + token,
			ExpiresAt: when.Add(time.Hour).Format("2006年1月2日 15時04分"), BaseURL: baseURL}
	case "password_changed":
		return mail.PasswordChanged{FacilityName: f.name, ChangedAt: when.Format("2006年1月2日 15時04分"), BaseURL: baseURL}
	default: // register_existing
		return mail.RegistrationExisting{Email: a.email, BaseURL: baseURL}
	}
}

var weekdays = [...]string{"日", "月", "火", "水", "木", "金", "土"}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
