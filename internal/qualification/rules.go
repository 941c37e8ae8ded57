package qualification

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"portal/internal/form"
)

// Field names, shared with the form's HTML names and ids.
const (
	FieldLineType   = "line_type"
	FieldProvider   = "provider"
	FieldCustomerID = "customer_id"
	FieldStartYear  = "start_year"
	FieldStartMonth = "start_month"
	FieldTestYear   = "test_year"
	FieldTestMonth  = "test_month"
)

// Messages beside the fields.
const (
	msgLineType        = "電気通信回線種別を選択してください。"
	msgProvider        = "回線の提供事業者を選択してください。"
	msgCustomerID      = "お客さまIDを入力してください。IP-VPN接続方式でNTT東日本・NTT西日本または光コラボレーション事業者の回線をご利用の場合に必要です。"
	msgCustomerIDShape = "お客さまIDは「CAF」または「COP」に続く数字10桁で入力してください（例：CAF1234567890）。"
	msgStartRequired   = "利用開始予定年月を入力してください。"
	msgYear            = "年は西暦4桁で入力してください。"
	msgYearRange       = "年は%d年から%d年までの範囲で入力してください。"
	msgMonth           = "月は1～12の数字で入力してください。"
	msgPastMonth       = "%sは今月（%d年%d月）以降を入力してください。"
	msgTestAfterStart  = "疎通確認（運用テスト）開始予定年月は、利用開始予定年月以前を入力してください。"
	msgMonthOnly       = "年と月の両方を入力してください。"
)

// yearsAhead is how far ahead a planned month may lie.
const yearsAhead = 5

// NormalizeCustomerID folds an お客さまID as people type it: full-width letters and digits,
// lower case, spaces and hyphens all become "CAF1234567890".
func NormalizeCustomerID(s string) string {
	s = form.Digits(s) // full width to ASCII, spaces and hyphens dropped
	return strings.ToUpper(s)
}

// Validate checks in against the rules; now is the clock (months before today's JST month
// are refused). It returns the message for each wrong field, keyed by field name.
func Validate(in Input, now time.Time) form.Errors {
	var errs form.Errors
	switch {
	case !slices.Contains(LineTypes, in.LineType):
		errs.Add(FieldLineType, msgLineType)
	case !slices.Contains(Providers[in.LineType], in.Provider):
		errs.Add(FieldProvider, msgProvider)
	case NeedsCustomerID(in.LineType, in.Provider) && in.CustomerID == "":
		errs.Add(FieldCustomerID, msgCustomerID)
	case NeedsCustomerID(in.LineType, in.Provider) && !validCustomerID(in.CustomerID):
		errs.Add(FieldCustomerID, msgCustomerIDShape)
	}
	thisYear, thisMonth := now.Year(), int(now.Month())
	month := func(y, m int, yField, mField, label string, required bool) bool {
		switch {
		case y == 0 && m == 0:
			if required {
				errs.Add(yField, msgStartRequired)
			}
			return false
		case y == 0 || m == 0:
			errs.Add(yField, msgMonthOnly)
			return false
		case y < 1000 || y > 9999:
			errs.Add(yField, msgYear)
			return false
		case y < thisYear || y > thisYear+yearsAhead:
			errs.Add(yField, fmt.Sprintf(msgYearRange, thisYear, thisYear+yearsAhead))
			return false
		case m < 1 || m > 12:
			errs.Add(mField, msgMonth)
			return false
		case y*12+m < thisYear*12+thisMonth:
			errs.Add(yField, fmt.Sprintf(msgPastMonth, label, thisYear, thisMonth))
			return false
		}
		return true
	}
	startOK := month(in.StartYear, in.StartMonth, FieldStartYear, FieldStartMonth, "利用開始予定年月", true)
	testOK := month(in.TestYear, in.TestMonth, FieldTestYear, FieldTestMonth, "疎通確認（運用テスト）開始予定年月", false)
	if startOK && testOK && in.TestYear*12+in.TestMonth > in.StartYear*12+in.StartMonth {
		errs.Add(FieldTestYear, msgTestAfterStart)
	}
	return errs
}

func validCustomerID(s string) bool {
	return len(s) == 13 && (strings.HasPrefix(s, "CAF") || strings.HasPrefix(s, "COP")) && form.IsDigits(s[3:], 10)
}
