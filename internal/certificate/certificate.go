// Package certificate is 電子証明書発行申請: once its オンライン資格確認利用申請 is approved, a
// facility asks for one certificate per PC that connects to the online qualification
// system, each with its use and a name of its own choosing, several at once. Each
// certificate then lives its own life: cancelled while requested, issued by an operator,
// revoked on the facility's request or by an operator. It knows nothing of HTTP.
package certificate

import (
	"time"

	"portal/internal/application"
)

// Statuses of a certificate.
const (
	StatusRequested       = "申請中"
	StatusIssued          = "発行済"
	StatusRevokeRequested = "失効申請中"
	StatusRevoked         = "失効"
	StatusCancelled       = "取消"
)

// Statuses lists the statuses in the order they are reached.
var Statuses = []string{StatusRequested, StatusIssued, StatusRevokeRequested, StatusRevoked, StatusCancelled}

// Actions of the history.
const (
	ActionApply         = "申請"
	ActionCancel        = "取消"
	ActionIssue         = "発行"
	ActionRequestRevoke = "失効申請"
	ActionRevoke        = "失効"
)

// Kind is 電子証明書発行申請 on the application kernel; its transitions are those of one
// certificate.
var Kind = application.Kind{
	Code:     "certificate",
	Title:    "電子証明書発行申請",
	Prefix:   "EC",
	Sequence: "certificate_reference_seq",
	Statuses: Statuses,
	Transitions: []application.Transition{
		{Action: ActionApply, By: application.ByFacility, From: []string{application.None}, To: StatusRequested},
		{Action: ActionCancel, By: application.ByFacility, From: []string{StatusRequested}, To: StatusCancelled},
		{Action: ActionIssue, By: application.ByOperator, From: []string{StatusRequested}, To: StatusIssued},
		{Action: ActionRequestRevoke, By: application.ByFacility, From: []string{StatusIssued}, To: StatusRevokeRequested},
		{Action: ActionRevoke, By: application.ByOperator, From: []string{StatusIssued, StatusRevokeRequested}, To: StatusRevoked},
	},
}

// Purposes are the uses of a certificate's PC, in the order the form shows them.
var Purposes = []string{"資格確認端末", "閲覧用端末", "オンライン請求用"}

// Rows is how many certificates one application may ask for at once.
const Rows = 10

// MaxLive is how many certificates a facility may hold in use (申請中, 発行済, 失効申請中).
const MaxLive = 50

// Request is one PC's certificate as the facility asks for it.
type Request struct {
	Purpose string
	Name    string
}

// Used reports whether the row of the form asks for anything.
func (r Request) Used() bool { return r.Purpose != "" || r.Name != "" }

// Label is 「名称（用途）」.
func (r Request) Label() string { return r.Name + "（" + r.Purpose + "）" }

// Input is what the facility submits: up to Rows certificates.
type Input struct {
	Requests []Request
}

// Used returns the rows that ask for something.
func (in Input) Used() []Request {
	var out []Request
	for _, r := range in.Requests {
		if r.Used() {
			out = append(out, r)
		}
	}
	return out
}

// Certificate is a stored certificate.
type Certificate struct {
	ID            int64
	ApplicationID int64
	Reference     string // 申込番号 of the application that asked for it
	FacilityID    int64
	Request
	Status            string
	RequestedAt       time.Time
	IssuedAt          *time.Time
	RevokeRequestedAt *time.Time
	RevokedAt         *time.Time
	CancelledAt       *time.Time
}

// Cancellable reports whether the facility may cancel it (while requested).
func (c Certificate) Cancellable() bool {
	return Kind.Can(c.Status, ActionCancel, application.ByFacility)
}

// Revocable reports whether the facility may ask to revoke it (once issued).
func (c Certificate) Revocable() bool {
	return Kind.Can(c.Status, ActionRequestRevoke, application.ByFacility)
}

// Errors of the package.
var (
	ErrNotFound = application.ErrNotFound
	// ErrNotAllowed means the certificate's status does not allow the step.
	ErrNotAllowed = application.ErrNotAllowed
)
