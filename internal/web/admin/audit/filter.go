package audit

import (
	"net/url"
	"strconv"
	"time"

	"portal/internal/auditlog"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/operator"
)

// Messages of the filter form.
const (
	msgFacilityCode = "医療機関等コードは7桁、または都道府県・点数表を含む10桁の数字で入力してください。"
	msgDate         = "日付を「2026-12-01」の形式で入力してください。"
	msgPeriod       = "期間の終わりは始まりより後の日付を入力してください。"
)

// filterForm is the filter as typed, kept for the form and the links.
type filterForm struct {
	Operator string // "", "system" or an operator id
	Action   string
	Facility string
	From, To string
}

// values is the filter as a query string.
func (f filterForm) values() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"operator": f.Operator, "action": f.Action, "facility": f.Facility, "from": f.From, "to": f.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// readFilter reads the filter from the query string: an unknown operator or action is
// ignored (a stale link), a malformed code or date is said beside its field.
func readFilter(q url.Values, operators []operator.Operator) (filterForm, auditlog.Filter, form.Errors) {
	in := form.NewInput(q)
	var ff filterForm
	var f auditlog.Filter
	errs := in.Errors
	switch op := in.Text("operator"); op {
	case "system":
		ff.Operator, f.System = op, true
	case "":
	default:
		id, err := strconv.ParseInt(op, 10, 64)
		for _, o := range operators {
			if err == nil && o.ID == id {
				ff.Operator, f.OperatorID = op, id
			}
		}
	}
	if a := in.Text("action"); auditlog.KnownAction(a) {
		ff.Action, f.Action = a, a
	}
	if raw := in.Text("facility"); raw != "" {
		ff.Facility = raw
		if code := form.Digits(raw); len(code) == 7 || len(code) == 10 {
			ff.Facility, f.FacilityCode = code, code
		} else {
			errs.Add("facility", msgFacilityCode)
		}
	}
	for _, d := range []struct {
		name string
		raw  *string
		to   *time.Time
	}{{"from", &ff.From, &f.From}, {"to", &ff.To, &f.To}} {
		*d.raw = in.Text(d.name)
		if *d.raw == "" {
			continue
		}
		t, err := jp.ParseISODate(*d.raw)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			errs.Add(d.name, msgDate)
			continue
		}
		*d.to = t
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs.Add("to", msgPeriod)
	}
	return ff, f, errs
}
