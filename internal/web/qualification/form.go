package qualification

import (
	"strconv"

	"portal/internal/form"
	"portal/internal/qualification"
)

// Form is the 利用申請 form as typed.
type Form struct {
	LineType, Provider, CustomerID string
	StartYear, StartMonth          string
	TestYear, TestMonth            string
}

func readForm(in *form.Input) Form {
	return Form{
		LineType: in.Text(qualification.FieldLineType), Provider: in.Text(qualification.FieldProvider),
		CustomerID: in.Text(qualification.FieldCustomerID),
		StartYear:  in.Digits(qualification.FieldStartYear), StartMonth: in.Digits(qualification.FieldStartMonth),
		TestYear: in.Digits(qualification.FieldTestYear), TestMonth: in.Digits(qualification.FieldTestMonth),
	}
}

// number reads a typed number: "" is 0 (not given), anything unreadable -1, which every
// rule refuses.
func number(s string) int {
	if s == "" {
		return 0
	}
	if n, ok := form.Integer(s); ok {
		return n
	}
	return -1
}

// input is the domain's input: the お客さまID folded, and dropped where the line needs none.
func (f Form) input() qualification.Input {
	in := qualification.Input{LineType: f.LineType, Provider: f.Provider,
		StartYear: number(f.StartYear), StartMonth: number(f.StartMonth),
		TestYear: number(f.TestYear), TestMonth: number(f.TestMonth)}
	if qualification.NeedsCustomerID(f.LineType, f.Provider) {
		in.CustomerID = qualification.NormalizeCustomerID(f.CustomerID)
	}
	return in
}

func formOf(in qualification.Input) Form {
	str := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	return Form{LineType: in.LineType, Provider: in.Provider, CustomerID: in.CustomerID,
		StartYear: str(in.StartYear), StartMonth: str(in.StartMonth), TestYear: str(in.TestYear), TestMonth: str(in.TestMonth)}
}
