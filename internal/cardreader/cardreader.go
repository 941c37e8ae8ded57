// Package cardreader is the 顔認証付きカードリーダー申込: the facility's application (survey,
// up to three readers, an optional delivery change), its rules, its history, and the
// operators' processing (delivery date, shipping, CSV export per maker). It knows nothing
// of HTTP.
package cardreader

import (
	"errors"
	"time"

	"portal/internal/account"
	"portal/internal/application"
)

// Statuses of an application, in order.
const (
	StatusReceived  = "受付済"
	StatusScheduled = "配送予定日決定"
	StatusShipped   = "発送済"
	StatusCancelled = "取消"
)

// Statuses lists the statuses operators filter by.
var Statuses = []string{StatusReceived, StatusScheduled, StatusShipped, StatusCancelled}

// The answers of the survey's radio groups, word for word from the form.
const (
	Introduced = "導入している"
	Planned    = "未導入（導入予定あり）"
	NotPlanned = "導入予定なし"
)

// Choices are the survey answers in the order the form shows them.
var Choices = []string{Introduced, Planned, NotPlanned}

// Slots is the number of reader slots (カードリーダー1–3).
const Slots = 3

// Errors of the store.
var (
	ErrNotFound = application.ErrNotFound
	// ErrLocked means a delivery date is set: the facility can no longer change or cancel.
	ErrLocked = errors.New("cardreader: application can no longer be changed")
	// ErrNothingToCancel means all 台数 were --- but there is no application.
	ErrNothingToCancel = errors.New("cardreader: no application to cancel")
	// ErrBadTransition means an operator action does not fit the application's status.
	ErrBadTransition = application.ErrNotAllowed
	// ErrSameDate means a correction of the 配送予定日 to the date it already has.
	ErrSameDate = errors.New("cardreader: delivery date unchanged")
	// ErrDeliveryDatePast and ErrDeliveryDateFar mean a 配送予定日 before today or more than
	// a year ahead (JST).
	ErrDeliveryDatePast = errors.New("cardreader: delivery date in the past")
	ErrDeliveryDateFar  = errors.New("cardreader: delivery date more than a year ahead")
	// ErrStale means another operator changed the application since this one looked at it.
	ErrStale = errors.New("cardreader: application changed meanwhile")
)

// Model is a reader of the catalog that can be applied for.
type Model struct {
	ID      int64
	Maker   string
	Product string
	// Hidden is set for a product the catalog no longer shows (it stays on the
	// applications that chose it).
	Hidden bool
}

// Label is 「メーカー名／製品名（型番）」 as the select shows it.
func (m Model) Label() string { return m.Maker + "／" + m.Product }

// Survey is the top part of the form (アンケート).
type Survey struct {
	IntroYear, IntroMonth             int    // オンライン資格確認導入（予定）時期
	OnlineClaim                       string // レセプトのオンライン請求について
	OnlineClaimYear, OnlineClaimMonth int
	EMR                               string // 電子カルテシステムの導入（保険薬局を除く）
	EMRYear, EMRMonth                 int
	Dispensing                        string // 調剤システムの導入（保険薬局のみ）
	DispensingYear, DispensingMonth   int
}

// Item is one reader slot: ModelID 0 or Quantity 0 means 「---」.
type Item struct {
	ModelID  int64
	Quantity int
}

// Used reports whether the slot asks for anything.
func (it Item) Used() bool { return it.ModelID != 0 || it.Quantity != 0 }

// Delivery is the optional change of where the readers go (カードリーダーの送付先変更).
type Delivery struct {
	Change         bool
	Postal         string // seven digits
	PrefectureCode int
	Address        string // 住所(市区町村、番地)
	Building       string // 住所(ビル、マンション名)
	Name           string // 変更送付先名称
	Phone          string // 変更送付先電話番号
	Contact        string // 変更送付先担当者名
}

// Input is what the facility submits.
type Input struct {
	Survey
	Items [Slots]Item
	Delivery
}

// Cancels reports whether every 台数 is 「---」: on an existing application that cancels it.
func (in Input) Cancels() bool {
	for _, it := range in.Items {
		if it.Used() {
			return false
		}
	}
	return true
}

// Application is a stored application.
type Application struct {
	ID           int64
	Reference    string // 申込番号
	FacilityID   int64
	AccountID    int64
	Status       string
	Input        Input
	DeliveryDate *time.Time // 配送予定日
	ShippedAt    *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Changeable reports whether the facility may still change or cancel: only until the
// delivery date is set.
func (a Application) Changeable() bool { return a.Status == StatusReceived }

// MaxReaders is how many readers the facility may ask for in total: 病院 3; 診療所 and 薬局
// 1; a 歯科 病院 attached to a 医科 one (医科併設の歯科病院) 1.
func MaxReaders(f account.Facility) int {
	if f.Kind == account.KindHospital && !f.DentalHospitalWithMedical {
		return 3
	}
	return 1
}

// IsPharmacy reports whether the facility answers the 調剤システム question instead of the
// 電子カルテ one.
func IsPharmacy(f account.Facility) bool {
	return f.Kind == account.KindPharmacy || f.ScoreTableCode == account.ScoreTablePharmacy
}

// Actions of the history, word for word as マイページ and the back office show them.
const (
	ActionApply    = "申込"
	ActionChange   = "変更"
	ActionCancel   = "取消"
	ActionSchedule = "配送予定日決定"
	// ActionCorrect is a 配送予定日 changed after it was mailed; the facility is mailed the
	// correction.
	ActionCorrect = "配送予定日訂正"
	ActionShip    = "発送済"
)

// Kind is the card reader application on the application kernel: its 申込番号 (CR…) and
// the steps its statuses allow. The facility may change or cancel until a delivery date is
// set; operators set the date, correct it until the readers are shipped, then ship.
var Kind = application.Kind{
	Code:     "cardreader",
	Title:    "顔認証付きカードリーダー申込",
	Prefix:   "CR",
	Sequence: "cardreader_reference_seq",
	Statuses: Statuses,
	Transitions: []application.Transition{
		{Action: ActionApply, By: application.ByFacility, From: []string{application.None}, To: StatusReceived},
		{Action: ActionChange, By: application.ByFacility, From: []string{StatusReceived}, To: StatusReceived},
		{Action: ActionCancel, By: application.ByFacility, From: []string{StatusReceived}, To: StatusCancelled},
		{Action: ActionSchedule, By: application.ByOperator, From: []string{StatusReceived}, To: StatusScheduled},
		{Action: ActionCorrect, By: application.ByOperator, From: []string{StatusScheduled}, To: StatusScheduled},
		{Action: ActionShip, By: application.ByOperator, From: []string{StatusScheduled}, To: StatusShipped},
	},
}
