// Package broadcast is 一斉送信: one mail to every facility account or a filtered set
// (internal/audience), previewed with its number of recipients, then written to the outbox
// by a River job in chunks of set-based INSERT … SELECT (mail.SendBulk), and delivered by
// the mail workers at BROADCAST_RATE behind every transactional mail. The job resumes
// after a restart from the last chunk it committed, and one mail per broadcast and
// facility is all the outbox accepts, so nobody gets one twice. A supervisor can stop a
// broadcast part way: the mails not yet sent are cancelled.
//
// The notices of 個別文書 to many facilities are broadcasts too (QueueTx with a document),
// so they go at the same pace.
package broadcast

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"portal/internal/audience"
	"portal/internal/form"
)

// Draft is the broadcast form as typed.
type Draft struct {
	Subject  string
	Body     string
	Audience audience.Filter
}

// Limits of a broadcast.
const (
	MaxSubject = 100
	MaxBody    = 10000
)

// MsgNobody is the clear message for a filter that matches no account.
const MsgNobody = "条件に合うアカウントがありません（0件）。送信先の条件を変えてください。"

// CheckDraft applies the rules to a draft (not the recipients: Preview counts them).
func CheckDraft(d Draft) form.Errors {
	errs := d.Audience.Check()
	switch n := utf8.RuneCountInString(d.Subject); {
	case strings.TrimSpace(d.Subject) == "":
		errs.Add("subject", "件名を入力してください。")
	case n > MaxSubject:
		errs.Add("subject", fmt.Sprintf("件名は%d文字以下で入力してください（現在%d文字）。", MaxSubject, n))
	case strings.ContainsAny(d.Subject, "\r\n"):
		errs.Add("subject", "件名は1行で入力してください。")
	}
	switch n := utf8.RuneCountInString(d.Body); {
	case strings.TrimSpace(d.Body) == "":
		errs.Add("body", "本文を入力してください。")
	case n > MaxBody:
		errs.Add("body", fmt.Sprintf("本文は%d文字以下で入力してください（現在%d文字）。", MaxBody, n))
	}
	return errs
}

// Preview is what the confirm page shows before sending: the mail as one recipient gets
// it and how many recipients there are now.
type Preview struct {
	Draft
	Recipients int
	// Subject and Body of the rendered mail (the facility's name as a placeholder).
	MailSubject, MailBody string
}

// Statuses of a broadcast (the stored ones; Done is derived: sending with nothing left).
const (
	StatusEnqueuing = "enqueuing"
	StatusSending   = "sending"
	StatusStopped   = "stopped"
)

// Broadcast is one broadcast with its progress.
type Broadcast struct {
	ID            int64
	Template      string
	Subject       string
	Body          string
	Audience      audience.Filter
	AudienceLabel string
	DocumentID    int64
	Status        string
	Planned       int
	Enqueued      int
	CreatedBy     string
	CreatedAt     time.Time
	EnqueuedAt    *time.Time
	StoppedBy     string
	StoppedAt     *time.Time
	Progress      Progress
}

// Progress counts a broadcast's mails by delivery status.
type Progress struct {
	Queued, Sending, Sent, Failed, Cancelled int
}

// Left is how many mails still wait for delivery.
func (p Progress) Left() int { return p.Queued + p.Sending }

// Done reports whether every mail is written and none is left to deliver.
func (b Broadcast) Done() bool { return b.Status == StatusSending && b.Progress.Left() == 0 }

// StatusLabel is the broadcast's state as the page shows it.
func (b Broadcast) StatusLabel() string {
	switch {
	case b.Status == StatusStopped:
		return "停止"
	case b.Status == StatusEnqueuing:
		return "送信準備中"
	case b.Done():
		return "送信完了"
	}
	return "送信中"
}

// Stoppable reports whether the broadcast can still be stopped.
func (b Broadcast) Stoppable() bool { return b.Status != StatusStopped && !b.Done() }

// Percent is the share of written mails delivered or settled, 0–100.
func (b Broadcast) Percent() int {
	if b.Enqueued == 0 {
		return 0
	}
	done := b.Progress.Sent + b.Progress.Failed + b.Progress.Cancelled
	return min(100, done*100/b.Enqueued)
}

// Errors of the package.
var (
	// ErrNotFound means no such broadcast.
	ErrNotFound = errors.New("broadcast: not found")
)

// InvalidError carries the field errors of a refused draft.
type InvalidError struct{ Errors form.Errors }

func (e *InvalidError) Error() string { return "broadcast: draft not valid" }
