package qualification

import (
	"strings"
	"testing"
	"time"

	"portal/internal/jp"
)

// now is 2026-12-01 in JST: December 2026 is the earliest month accepted.
var now = time.Date(2026, 12, 1, 10, 0, 0, 0, jp.Zone)

func good() Input {
	return Input{LineType: LineIPVPN, Provider: "NTT東日本", CustomerID: "CAF1234567890", StartYear: 2027, StartMonth: 4}
}

func TestValidateEveryRule(t *testing.T) {
	t.Parallel()
	with := func(f func(*Input)) Input { in := good(); f(&in); return in }
	tests := []struct {
		name  string
		in    Input
		field string // "" when valid
		msg   string // part of the message
	}{
		{"valid IP-VPN over NTT", good(), "", ""},
		{"valid IPsec needs no ID", with(func(i *Input) { i.LineType, i.Provider, i.CustomerID = LineIPsec, "富士通株式会社", "" }), "", ""},
		{"valid IP-VPN over CTC needs no ID", with(func(i *Input) {
			i.Provider, i.CustomerID = "中部テレコミュニケーション株式会社（CTC）", ""
		}), "", ""},
		{"COP works too", with(func(i *Input) { i.CustomerID = "COP0000000001" }), "", ""},
		{"this month is fine", with(func(i *Input) { i.StartYear, i.StartMonth = 2026, 12 }), "", ""},
		{"test month before start", with(func(i *Input) { i.TestYear, i.TestMonth = 2027, 2 }), "", ""},
		{"test month equal to start", with(func(i *Input) { i.TestYear, i.TestMonth = 2027, 4 }), "", ""},
		{"no line type", with(func(i *Input) { i.LineType = "" }), FieldLineType, "電気通信回線種別"},
		{"unknown line type", with(func(i *Input) { i.LineType = "ADSL" }), FieldLineType, "電気通信回線種別"},
		{"no provider", with(func(i *Input) { i.Provider = "" }), FieldProvider, "提供事業者"},
		{"provider of the other type", with(func(i *Input) { i.Provider = "富士通株式会社" }), FieldProvider, "提供事業者"},
		{"customer ID missing", with(func(i *Input) { i.CustomerID = "" }), FieldCustomerID, "お客さまIDを入力"},
		{"customer ID missing for 光コラボ", with(func(i *Input) { i.Provider, i.CustomerID = "光コラボレーション事業者等", "" }), FieldCustomerID, "お客さまIDを入力"},
		{"customer ID of 9 digits", with(func(i *Input) { i.CustomerID = "CAF123456789" }), FieldCustomerID, "CAF"},
		{"customer ID of 11 digits", with(func(i *Input) { i.CustomerID = "CAF12345678901" }), FieldCustomerID, "CAF"},
		{"customer ID wrong prefix", with(func(i *Input) { i.CustomerID = "ABC1234567890" }), FieldCustomerID, "CAF"},
		{"customer ID with letters", with(func(i *Input) { i.CustomerID = "CAF12345678AB" }), FieldCustomerID, "CAF"},
		{"start missing", with(func(i *Input) { i.StartYear, i.StartMonth = 0, 0 }), FieldStartYear, "利用開始予定年月を入力"},
		{"start month only", with(func(i *Input) { i.StartYear = 0 }), FieldStartYear, "両方"},
		{"start year of 2 digits", with(func(i *Input) { i.StartYear = 27 }), FieldStartYear, "西暦4桁"},
		{"start year past", with(func(i *Input) { i.StartYear = 2025 }), FieldStartYear, "2026年から2031年"},
		{"start year too far", with(func(i *Input) { i.StartYear = 2032 }), FieldStartYear, "2026年から2031年"},
		{"13月", with(func(i *Input) { i.StartMonth = 13 }), FieldStartMonth, "1～12"},
		{"month 0 with a year", with(func(i *Input) { i.StartMonth = 0 }), FieldStartYear, "両方"},
		{"unreadable month", with(func(i *Input) { i.StartMonth = -1 }), FieldStartMonth, "1～12"},
		{"last month", with(func(i *Input) { i.StartYear, i.StartMonth = 2026, 11 }), FieldStartYear, "今月（2026年12月）以降"},
		{"test last month", with(func(i *Input) { i.TestYear, i.TestMonth = 2026, 11 }), FieldTestYear, "今月（2026年12月）以降"},
		{"test after start", with(func(i *Input) { i.TestYear, i.TestMonth = 2027, 5 }), FieldTestYear, "利用開始予定年月以前"},
		{"test 13月", with(func(i *Input) { i.TestYear, i.TestMonth = 2027, 13 }), FieldTestMonth, "1～12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			errs := Validate(tt.in, now)
			if tt.field == "" {
				if !errs.Valid() {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if got := errs[tt.field]; !strings.Contains(got, tt.msg) {
				t.Errorf("%s: %q, want it to say %q (all: %v)", tt.field, got, tt.msg, errs)
			}
		})
	}
}

func TestNormalizeCustomerID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"caf1234567890": "CAF1234567890",
		"ＣＡＦ１２３４５６７８９０":      "CAF1234567890",
		" cop-1234-567-890 ": "COP1234567890",
		"CAF 1234 5678 90":   "CAF1234567890",
	} {
		if got := NormalizeCustomerID(in); got != want {
			t.Errorf("NormalizeCustomerID(%q) = %q, want %q", in, got, want)
		}
	}
}
