// Package inquiry is 問い合わせ: the inquiry form for visitors and signed-in facilities (spam
// kept out by a honeypot, a minimum fill time and rate limits), the operators' inbox with
// statuses as data, assignees, priorities, a linked facility, answer templates and
// internal notes, the conversation as one thread, answers mailed through the outbox, and
// a facility's own cases on マイページ. Every step is one Service call: the transaction, the
// rules, the store, the mail and the audit entry happen inside.
//
// 問い合わせ番号 (IQ261201-000001: IQ, the JST date of receipt, a serial) is the case's number
// for the sender and the operators alike.
package inquiry

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Status is where a case stands.
type Status string

// The statuses, in the order a case usually passes through them.
const (
	New        Status = "新規"
	InProgress Status = "対応中"
	Answered   Status = "回答済"
	Closed     Status = "クローズ"
)

// Statuses lists every status in order.
var Statuses = []Status{New, InProgress, Answered, Closed}

// Valid reports whether s is a status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Actor is who takes a step: the sender (the facility or visitor) or an operator.
type Actor string

// The actors.
const (
	BySender   Actor = "sender"
	ByOperator Actor = "operator"
)

// Action names a step on a case.
type Action string

// The steps.
const (
	ActStart  Action = "start"  // 対応中にする
	ActAnswer Action = "answer" // 回答する (mailed)
	ActClose  Action = "close"  // クローズする
	ActReopen Action = "reopen" // 再開する
	ActReply  Action = "reply"  // the sender writes again
)

// Transition is one allowed step: Action by By moves a case in one of From to To.
type Transition struct {
	Action Action
	By     Actor
	From   []Status
	To     Status
	// Label is the button of an operator's step.
	Label string
}

// Transitions are the only steps a case allows; everything else is refused. A note or a
// change of assignee, priority or facility moves no status and is allowed in every one.
var Transitions = []Transition{
	{Action: ActStart, By: ByOperator, From: []Status{New}, To: InProgress, Label: "対応中にする"},
	{Action: ActAnswer, By: ByOperator, From: []Status{New, InProgress, Answered}, To: Answered},
	{Action: ActClose, By: ByOperator, From: []Status{New, InProgress, Answered}, To: Closed, Label: "クローズする"},
	{Action: ActReopen, By: ByOperator, From: []Status{Closed}, To: InProgress, Label: "再開する"},
	{Action: ActReply, By: BySender, From: []Status{New}, To: New},
	{Action: ActReply, By: BySender, From: []Status{InProgress, Answered}, To: InProgress},
}

// Next returns the status action by by leads to from status from, or ErrNotAllowed.
func Next(from Status, action Action, by Actor) (Status, error) {
	for _, t := range Transitions {
		if t.Action == action && t.By == by && slices.Contains(t.From, from) {
			return t.To, nil
		}
	}
	return "", fmt.Errorf("%w: %s by %s from %s", ErrNotAllowed, action, by, from)
}

// Steps lists the operator's status buttons allowed from status from (対応中にする, …).
func Steps(from Status) []Transition {
	var out []Transition
	for _, t := range Transitions {
		if t.By == ByOperator && t.Label != "" && slices.Contains(t.From, from) {
			out = append(out, t)
		}
	}
	return out
}

// Priorities (優先度): 1 高, 2 通常, 3 低.
const (
	PriorityHigh   = 1
	PriorityNormal = 2
	PriorityLow    = 3
)

// PriorityLabel is how a priority is shown.
func PriorityLabel(p int) string {
	switch p {
	case PriorityHigh:
		return "高"
	case PriorityLow:
		return "低"
	}
	return "通常"
}

// Priorities lists the priorities, highest first.
var Priorities = []int{PriorityHigh, PriorityNormal, PriorityLow}

// Categories are the kinds of question the form offers (お問い合わせの種類).
var Categories = []string{
	"アカウント登録・ログイン",
	"顔認証付きカードリーダー",
	"オンライン資格確認利用申請・電子証明書",
	"補助金",
	"ポータルサイトの操作",
	"その他",
}

// Channels: how a case arrived.
const (
	ChannelForm  = "form"
	ChannelPhone = "phone"
)

// Kinds of thread entry.
const (
	KindQuestion = "question" // what the sender asked first
	KindReply    = "reply"    // what the sender wrote afterwards
	KindAnswer   = "answer"   // an operator's answer, mailed
	KindNote     = "note"     // an operator's internal note: never shown to the facility
	KindEvent    = "event"    // what happened to the case (status, assignee…): internal
)

// Errors of the package.
var (
	// ErrNotFound means no such case, or not one the asker may see.
	ErrNotFound = errors.New("inquiry: not found")
	// ErrNotAllowed means the step does not fit the case's status.
	ErrNotAllowed = errors.New("inquiry: not possible in this status")
	// ErrSpam means the form looked filled by a program (the honeypot field was filled).
	ErrSpam = errors.New("inquiry: refused as spam")
)

// Messages the pages show for refused steps.
const (
	// MsgClosedAnswer is shown to an operator answering a closed case.
	MsgClosedAnswer = "このお問い合わせはクローズしているため回答できません。回答する場合は、先に「再開する」を押して対応中に戻してください。"
	// MsgClosedReply is shown to a facility replying to a closed case.
	MsgClosedReply = "このお問い合わせは対応を終了（クローズ）しているため、返信できません。新たにお問い合わせいただく場合は、問い合わせフォームからお送りください。"
)

// Inquiry is one case as the operators see it.
type Inquiry struct {
	ID        int64
	Reference string
	Status    Status
	Priority  int
	Channel   string
	Category  string
	// FacilityID is the facility the case is about (0 if none); FacilityName and
	// FacilityCode (10 digits) describe it.
	FacilityID   int64
	FacilityName string
	FacilityCode string
	// AccountID is the signed-in account that sent it (0 otherwise).
	AccountID int64
	// GivenCode is the facility code a visitor typed (never linked by itself).
	GivenCode string
	Name      string
	Email     string
	Phone     string
	// AssigneeID and AssigneeName are the operator in charge (0, "" if none).
	AssigneeID   int64
	AssigneeName string
	// OpenedBy is the operator who opened a phone caller's case.
	OpenedBy  int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PriorityLabel is the case's priority as shown.
func (i Inquiry) PriorityLabel() string { return PriorityLabel(i.Priority) }

// ChannelLabel says how the case arrived.
func (i Inquiry) ChannelLabel() string {
	if i.Channel == ChannelPhone {
		return "電話"
	}
	return "問い合わせフォーム"
}

// Message is one entry of a case's thread.
type Message struct {
	ID           int64
	Kind         string
	OperatorID   int64
	OperatorName string
	Body         string
	// MailID is the outbox mail of an answer (0 when none was sent).
	MailID      int64
	CreatedAt   time.Time
	Attachments []AttachmentInfo
}

// Internal reports whether the entry is only for operators (a note or an event).
func (m Message) Internal() bool { return m.Kind == KindNote || m.Kind == KindEvent }

// KindLabel names the entry in the thread.
func (m Message) KindLabel() string {
	switch m.Kind {
	case KindQuestion:
		return "お問い合わせ"
	case KindReply:
		return "返信"
	case KindAnswer:
		return "回答"
	case KindNote:
		return "内部メモ"
	}
	return "記録"
}

// AttachmentInfo describes a stored file without its content.
type AttachmentInfo struct {
	ID          int64
	Filename    string
	ContentType string
	Size        int
}

// SizeLabel is the size as shown (KB, MB).
func (a AttachmentInfo) SizeLabel() string { return SizeLabel(a.Size) }

// SizeLabel shows a number of bytes in KB or MB.
func SizeLabel(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1fMB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%dKB", max(1, (n+1023)/1024))
}

// Case is a case with its thread.
type Case struct {
	Inquiry
	Thread []Message
}

// Receipt is what the sender is told after sending: the 問い合わせ番号.
type Receipt struct {
	Reference string
	Email     string
	// Repeated is true when the same form had already been sent (a double click or a
	// resubmitted page): nothing new was stored or mailed.
	Repeated bool
}
