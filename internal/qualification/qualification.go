// Package qualification is オンライン資格確認利用申請: a facility asks to use online
// qualification confirmation, naming its line (電気通信回線種別 and provider, with the
// お客さまID where the provider issues one) and when it plans to start. The facility may
// change it until an operator approves it; an operator may send it back with a reason, and
// the facility corrects and sends it again. Once approved, 電子証明書発行申請 opens
// (package certificate). It knows nothing of HTTP.
package qualification

import (
	"errors"
	"slices"
	"time"

	"portal/internal/application"
)

// Statuses of an application.
const (
	StatusSubmitted = "申請中"
	StatusReturned  = "差戻し"
	StatusApproved  = "承認済"
)

// Statuses lists the statuses in the order they are reached.
var Statuses = []string{StatusSubmitted, StatusReturned, StatusApproved}

// Actions of the history.
const (
	ActionApply    = "申請"
	ActionChange   = "変更"
	ActionResubmit = "再申請"
	ActionApprove  = "承認"
	ActionReturn   = "差戻し"
)

// Kind is 利用申請 on the application kernel.
var Kind = application.Kind{
	Code:     "qualification",
	Title:    "オンライン資格確認利用申請",
	Prefix:   "QA",
	Sequence: "qualification_reference_seq",
	Statuses: Statuses,
	Transitions: []application.Transition{
		{Action: ActionApply, By: application.ByFacility, From: []string{application.None}, To: StatusSubmitted},
		{Action: ActionChange, By: application.ByFacility, From: []string{StatusSubmitted}, To: StatusSubmitted},
		{Action: ActionResubmit, By: application.ByFacility, From: []string{StatusReturned}, To: StatusSubmitted},
		{Action: ActionApprove, By: application.ByOperator, From: []string{StatusSubmitted}, To: StatusApproved},
		{Action: ActionReturn, By: application.ByOperator, From: []string{StatusSubmitted}, To: StatusReturned},
	},
}

// 電気通信回線種別.
const (
	LineIPVPN = "IP-VPN接続方式"
	LineIPsec = "IPsec+IKE接続方式"
)

// LineTypes are the line types in the order the form shows them.
var LineTypes = []string{LineIPVPN, LineIPsec}

// Providers of each line type, from the fund's 「オンライン請求及びオンライン資格確認等システム
// 接続可能回線・事業者一覧表」 as the seed quotes it.
var Providers = map[string][]string{
	LineIPVPN: {"NTT東日本", "NTT西日本", "中部テレコミュニケーション株式会社（CTC）", "株式会社QTnet", "光コラボレーション事業者等"},
	LineIPsec: {"株式会社NTTPCコミュニケーションズ", "株式会社NTTデータ中国", "富士通株式会社", "三菱電機インフォメーションネットワーク株式会社"},
}

// NeedsCustomerID reports whether the line needs the お客さまID: IP-VPN over NTT東日本・西日本
// or a 光コラボレーション事業者, which issue one (CAF… or COP…).
func NeedsCustomerID(line, provider string) bool {
	return line == LineIPVPN && slices.Contains([]string{"NTT東日本", "NTT西日本", "光コラボレーション事業者等"}, provider)
}

// Input is what the facility submits.
type Input struct {
	LineType   string
	Provider   string
	CustomerID string // CAF or COP and 10 digits; "" where the line needs none
	// 利用開始予定年月 (required) and 疎通確認（運用テスト）開始予定年月 (0 when not given).
	StartYear, StartMonth int
	TestYear, TestMonth   int
}

// Application is a stored 利用申請.
type Application struct {
	ID           int64
	Reference    string // 申込番号
	FacilityID   int64
	AccountID    int64
	Status       string
	Input        Input
	SubmittedAt  time.Time
	ApprovedAt   *time.Time
	ReturnedAt   *time.Time
	ReturnReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Changeable reports whether the facility may still change it: until it is approved.
func (a Application) Changeable() bool { return a.Status != StatusApproved }

// Errors of the package.
var (
	ErrNotFound = application.ErrNotFound
	// ErrApproved means the application is approved: the facility can no longer change it.
	ErrApproved = errors.New("qualification: approved")
)
