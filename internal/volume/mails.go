package volume

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/jp"
	"portal/internal/mail"
)

// baseURL is the portal's address in the mails' links.
const baseURL = "http://127.0.0.1:8080"

// How the outbox stands: nearly all sent, some refused for good by the receiving server
// after the worker's 15 attempts, and a few waiting for a retry. Waiting mails are due
// only in a hundred years, so a running worker never delivers a volume mail.
const (
	failedShare  = 0.01
	waitingShare = 0.002
	maxAttempts  = 15 // mail.NewWorker's
)

// bodyRetention is MAIL_BODY_RETENTION's default: the portal's hourly housekeeping has
// dropped the body of every sent or failed mail older than that (mail.PruneBodies).
const bodyRetention = 90 * 24 * time.Hour

// mailSpec is one mail a step caused, before it is rendered.
type mailSpec struct {
	at       time.Time
	template string
	to       string
	// facility is the facility id the sending step names (mail.Message.FacilityID), 0 for
	// the steps that use mail.Enqueue.
	facility int64
	// data is the template's data struct (internal/mail); nil for a broadcast's mail,
	// which is rendered once per broadcast.
	data any
	// broadcast is the index+1 of the broadcast the mail belongs to, 0 for none; name is
	// then the recipient's facility name, which replaces mail.FacilityNameMarker.
	broadcast int
	name      string
	// id, when set, receives the mail's outbox id (an inquiry answer keeps its mail's).
	id *int64
	// sentAt, when set, is when the mail went out (a broadcast's, at the broadcast pace);
	// otherwise within half a minute.
	sentAt time.Time
}

// mail records a mail a step sent (mail.Send, or mail.Enqueue with facility 0).
func (g *gen) mail(at time.Time, template, to string, facility int64, data any) {
	g.mails = append(g.mails, mailSpec{at: at, template: template, to: to, facility: facility, data: data})
}

// account mails: what an account's facility was told, by mail.Enqueue (no facility id).
func (g *gen) accountMail(at time.Time, template string, ai int, data any) {
	g.mail(at, template, g.accounts[ai].email, 0, data)
}

// fillMails renders and writes every mail the earlier steps caused, oldest first, each
// from the portal's own template with its data struct; the outbox ids follow that order.
// Broadcast mails are rendered once per broadcast with the marker the portal uses, and the
// bodies the housekeeping would have pruned by now are gone.
func fillMails(ctx context.Context, tx pgx.Tx, g *gen) error {
	specs := g.mails
	g.mails = nil
	slices.SortStableFunc(specs, func(a, b mailSpec) int { return a.at.Compare(b.at) })
	bulk := make([][2]string, len(g.broadcasts))
	for i, b := range g.broadcasts {
		subject, body, err := mail.Render(b.template, b.mailData())
		if err != nil {
			return err
		}
		bulk[i] = [2]string{subject, body}
	}
	far := g.now.AddDate(100, 0, 0)
	pruneBefore := g.now.Add(-bodyRetention)
	err := g.copyRows(ctx, tx, "mail_outbox",
		[]string{"message_id", "template", "to_addr", "subject", "body", "status", "attempts", "next_attempt_at",
			"last_error", "smtp_reply", "facility_id", "broadcast_id", "body_pruned_at", "created_at", "sent_at"},
		len(specs), func(i int) ([]any, error) {
			s := specs[i]
			if s.id != nil {
				*s.id = int64(i + 1)
			}
			var subject, body string
			var broadcast any
			if s.broadcast > 0 {
				subject, body = bulk[s.broadcast-1][0], strings.ReplaceAll(bulk[s.broadcast-1][1], mail.FacilityNameMarker, s.name)
				broadcast = int64(s.broadcast)
			} else {
				var err error
				if subject, body, err = mail.Render(s.template, s.data); err != nil {
					return nil, err
				}
			}
			id := fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64())
			row := []any{id, s.template, s.to, subject, body}
			var pruned any
			switch r := g.rng.Float64(); {
			case r < failedShare:
				row = append(row, mail.StatusFailed, maxAttempts, s.at.Add(26*time.Hour),
					"550 5.1.1 <"+s.to+">: Recipient address rejected: User unknown in virtual mailbox table", nil)
				if s.at.Before(pruneBefore) {
					row[4], pruned = nil, minTime(g.now, s.at.Add(bodyRetention+time.Duration(g.rng.IntN(3600))*time.Second))
				}
			case r < failedShare+waitingShare && s.broadcast == 0:
				row = append(row, mail.StatusQueued, 3, far, "421 4.4.2 mx.example.jp Error: timeout exceeded", nil)
			default:
				row = append(row, mail.StatusSent, 1, s.at, nil, fmt.Sprintf("250 2.0.0 Ok: queued as %X", g.rng.Uint32()))
				if s.at.Before(pruneBefore) {
					row[4], pruned = nil, minTime(g.now, s.at.Add(bodyRetention+time.Duration(g.rng.IntN(3600))*time.Second))
				}
			}
			var facility any
			if s.facility != 0 {
				facility = s.facility
			}
			var sent any
			if row[5] == mail.StatusSent {
				sent = s.at.Add(time.Duration(1+g.rng.IntN(30)) * time.Second)
				if !s.sentAt.IsZero() {
					sent = s.sentAt
				}
			}
			return append(row, facility, broadcast, pruned, s.at, sent), nil
		})
	if err != nil {
		return err
	}
	g.logf("  %d mails", len(specs))
	return nil
}

// linkMails are the mails of the accounts' own doings: the registration link before a
// registration through 初めてご利用になる方, the completion mail, the password resets of the
// accounts that changed their password, an address that asked again for a link, and
// reset links never used.
func (g *gen) linkMails() {
	for i, a := range g.accounts {
		f := g.facilities[a.facility]
		if !a.viaLetter {
			at := a.created.Add(-time.Duration(2+g.rng.IntN(90)) * time.Minute)
			g.accountMail(at, "register_url", i, mail.RegistrationURL{URL: baseURL + "/register/verify?token=" + g.token(),
				ExpiresAt: jp.DateTime(at.Add(24 * time.Hour)), BaseURL: baseURL})
		}
		g.accountMail(a.created, "account_registered", i, mail.AccountRegistered{FacilityName: f.name, ContactName: a.contact,
			Email: a.email, BaseURL: baseURL})
		if a.version > 1 {
			at := a.changed.Add(-time.Duration(1+g.rng.IntN(40)) * time.Minute)
			g.accountMail(at, "password_reset_url", i, mail.PasswordResetURL{FacilityName: f.name,
				URL: baseURL + "/password/reset/verify?token=" + g.token(), ExpiresAt: jp.DateTime(at.Add(time.Hour)), BaseURL: baseURL})
			g.accountMail(a.changed, "password_changed", i, mail.PasswordChanged{FacilityName: f.name, ChangedAt: jp.DateTime(a.changed),
				BaseURL: baseURL})
		}
		switch r := g.rng.Float64(); {
		case r < 0.03:
			g.accountMail(g.between(a.created, g.now), "register_existing", i, mail.RegistrationExisting{Email: a.email, BaseURL: baseURL})
		case r < 0.08:
			at := g.between(a.created, g.now)
			g.accountMail(at, "password_reset_url", i, mail.PasswordResetURL{FacilityName: f.name,
				URL: baseURL + "/password/reset/verify?token=" + g.token(), ExpiresAt: jp.DateTime(at.Add(time.Hour)), BaseURL: baseURL})
		}
	}
}

// token is a link token as the mails carry it (random, URL-safe).
func (g *gen) token() string { return fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64()) }
