package mail

import (
	"errors"
	"time"
)

// Status of an outbox mail (メール送信状況).
const (
	// StatusQueued: waiting for its first attempt, or for a retry at NextAttemptAt.
	StatusQueued = "queued"
	// StatusSending: a worker holds it until NextAttemptAt (its lease); a mail still
	// sending after that is taken again by another worker.
	StatusSending = "sending"
	// StatusSent: the server accepted it (250 after the final dot); Reply is its answer.
	StatusSent = "sent"
	// StatusFailed: every attempt failed; LastError says why. An operator may retry it.
	StatusFailed = "failed"
	// StatusCancelled: a broadcast mail that had not gone out when its broadcast was
	// stopped (一斉送信の停止); it never will.
	StatusCancelled = "cancelled"
)

// Statuses lists every status, in the order a mail passes through them.
var Statuses = []string{StatusQueued, StatusSending, StatusSent, StatusFailed, StatusCancelled}

// ErrNoMail is returned when a mail id does not exist.
var ErrNoMail = errors.New("mail: no such mail")

// OutboxMail is one mail's delivery record, as the operators' list shows it. The body is
// not part of it (see Detail).
type OutboxMail struct {
	ID       int64
	Template string
	To       string
	Subject  string
	Status   string
	// Attempts counts delivery attempts since the mail was queued (or retried).
	Attempts int
	// NextAttemptAt is when a queued mail is due, or when a sending mail's lease ends.
	NextAttemptAt time.Time
	// LastError is the last failed attempt's cause: the SMTP server's reply text (e.g.
	// "451 4.3.0 …"), or why the connection failed. Empty once the mail is sent.
	LastError string
	// Reply is the server's answer when it accepted the mail.
	Reply string
	// FacilityID and FacilityName name the facility the mail is about (0 and "" if none).
	FacilityID   int64
	FacilityName string
	// ResentFrom is the mail this one is an operator's copy of (0 if none).
	ResentFrom int64
	CreatedAt  time.Time
	SentAt     *time.Time
}

// outboxColumns selects an OutboxMail from mail_outbox o LEFT JOIN facilities f, in the
// order of its scan targets (dest).
const outboxColumns = `o.id, o.template, o.to_addr, o.subject, o.status, o.attempts, o.next_attempt_at,
	coalesce(o.last_error, ''), coalesce(o.smtp_reply, ''), coalesce(o.facility_id, 0), coalesce(f.name, ''),
	coalesce(o.resent_from, 0), o.created_at, o.sent_at`

// dest is what Scan needs to read outboxColumns into m.
func (m *OutboxMail) dest() []any {
	return []any{&m.ID, &m.Template, &m.To, &m.Subject, &m.Status, &m.Attempts, &m.NextAttemptAt,
		&m.LastError, &m.Reply, &m.FacilityID, &m.FacilityName, &m.ResentFrom, &m.CreatedAt, &m.SentAt}
}
