package volume

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/jp"
	"portal/internal/mail"
	"portal/internal/qualification"
)

// qual is a generated 利用申請; quals[i] has id i+1.
type qual struct {
	account   int // index in accounts
	created   time.Time
	reference string
	status    string
	in        qualification.Input
	submitted time.Time // the last (re)submission
	approved  time.Time
	returned  time.Time // the sending back in force (status 差戻し)
	reason    string
	updated   time.Time
}

// How the 利用申請 stand: most facilities that file one already applied for a card
// reader; an operator approves most within days, sends a few back (most of those are
// corrected and sent again), and the newest wait.
const (
	qualWithReaderShare = 0.8
	qualReturnedShare   = 0.10
	qualResubmitShare   = 0.7
	qualChangedShare    = 0.05
	qualApprovedShare   = 0.8
)

// returnReasons are what operators write when they send a 利用申請 back.
var returnReasons = []string{
	"お客さまIDが回線契約の内容と一致しません。契約書類をご確認のうえ、修正してください。",
	"提供事業者の選択が回線契約と異なります。",
	"利用開始予定年月が、回線の開通予定より前になっています。",
	"医療機関等コードと回線契約の名義が一致しません。名義をご確認ください。",
}

// east are the prefectures NTT東日本 serves; chubu CTC's, kyushu QTnet's.
var (
	east   = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20}
	chubu  = []int{21, 22, 23, 24}
	kyushu = []int{40, 41, 42, 43, 44, 45, 46, 47}
)

func fillQualification(ctx context.Context, tx pgx.Tx, g *gen) error {
	var withReader, without []int
	reader := make([]time.Time, len(g.accounts))
	for _, a := range g.apps {
		if a.status != "取消" {
			reader[a.account] = a.created
		}
	}
	for i := range g.accounts {
		if reader[i].IsZero() {
			without = append(without, i)
		} else {
			withReader = append(withReader, i)
		}
	}
	n := g.n.Qualifications
	k := min(len(withReader), int(float64(n)*qualWithReaderShare))
	picked := make([]int, 0, n)
	for _, j := range g.sample(len(withReader), k) {
		picked = append(picked, withReader[j])
	}
	for _, j := range g.sample(len(without), n-k) {
		picked = append(picked, without[j])
	}
	g.quals = make([]qual, len(picked))
	for i, ai := range picked {
		from := maxTime(g.accounts[ai].created, reader[ai])
		g.quals[i] = qual{account: ai, created: g.between(from, g.now)}
	}
	slices.SortFunc(g.quals, func(a, b qual) int { return a.created.Compare(b.created) })
	for i := range g.quals {
		if err := g.qualLife(i); err != nil {
			return err
		}
	}
	err := g.copyRows(ctx, tx, "qualification_applications",
		[]string{"reference", "facility_id", "account_id", "status", "line_type", "provider", "customer_id", "start_year",
			"start_month", "test_year", "test_month", "submitted_at", "approved_at", "returned_at", "return_reason",
			"created_at", "updated_at"},
		len(g.quals), func(i int) ([]any, error) {
			q := g.quals[i]
			in := q.in
			return []any{q.reference, g.accounts[q.account].facility + 1, q.account + 1, q.status, in.LineType, in.Provider,
				in.CustomerID, in.StartYear, in.StartMonth, nullInt(in.TestYear), nullInt(in.TestMonth), q.submitted,
				nullTime(q.approved), nullTime(q.returned), q.reason, q.created, q.updated}, nil
		})
	if err != nil {
		return err
	}
	if err := checkIdentities(ctx, tx, "qualification_applications", len(g.quals)); err != nil {
		return err
	}
	return setSequence(ctx, tx, qualification.Kind, len(g.quals))
}

// qualInput is what a facility in prefecture p types: its line, the provider of its
// region, the お客さまID where the line has one, and its months.
func (g *gen) qualInput(p int, at time.Time) qualification.Input {
	var in qualification.Input
	if g.chance(0.65) {
		in.LineType = qualification.LineIPVPN
		switch {
		case g.chance(0.15):
			in.Provider = "光コラボレーション事業者等"
		case slices.Contains(chubu, p) && g.chance(0.3):
			in.Provider = "中部テレコミュニケーション株式会社（CTC）"
		case slices.Contains(kyushu, p) && g.chance(0.3):
			in.Provider = "株式会社QTnet"
		case slices.Contains(east, p):
			in.Provider = "NTT東日本"
		default:
			in.Provider = "NTT西日本"
		}
	} else {
		in.LineType = qualification.LineIPsec
		in.Provider = pick(g, qualification.Providers[qualification.LineIPsec])
	}
	if qualification.NeedsCustomerID(in.LineType, in.Provider) {
		in.CustomerID = g.customerID()
	}
	at = at.In(jp.Zone)
	at = time.Date(at.Year(), at.Month(), 1, 12, 0, 0, 0, jp.Zone) // months in JST, without a day's overflow
	start := at.AddDate(0, 1+g.rng.IntN(8), 0)
	in.StartYear, in.StartMonth = start.Year(), int(start.Month())
	if g.chance(0.6) {
		months := (in.StartYear*12 + in.StartMonth) - (at.Year()*12 + int(at.Month()))
		test := at.AddDate(0, g.rng.IntN(months+1), 0)
		in.TestYear, in.TestMonth = test.Year(), int(test.Month())
	}
	return in
}

func (g *gen) customerID() string {
	prefix := "CAF"
	if g.chance(0.3) {
		prefix = "COP"
	}
	return fmt.Sprintf("%s%010d", prefix, g.rng.Int64N(10_000_000_000))
}

// qualLife walks 利用申請 i through its kind's transitions: 申請, perhaps 変更, perhaps
// 差戻し and 再申請, then 承認 once an operator got to it; each step with its history line,
// mail and audit entry.
func (g *gen) qualLife(i int) error {
	q := &g.quals[i]
	acc := g.accounts[q.account]
	f := g.facilities[acc.facility]
	id, fid, aid := int64(i+1), int64(acc.facility+1), int64(q.account+1)
	q.reference = reference(qualification.Kind, q.created, i+1)
	q.in = g.qualInput(f.pref, q.created)
	status := application.None
	step := func(at time.Time, by application.Actor, actor int64, action, detail, template, reason string) error {
		to, err := checkStep(qualification.Kind, status, action, by)
		if err != nil {
			return err
		}
		status, q.status, q.updated = to, to, at
		g.addEvent(event{kind: qualification.Kind, app: id, facility: fid, reference: q.reference, at: at, by: by,
			actorID: actor, action: action, detail: detail})
		g.accountMail(at, template, q.account, mail.ApplicationNotice{FacilityName: f.name, ReferenceNumber: q.reference,
			Details: qualification.Describe(q.in), Reason: reason, BaseURL: baseURL})
		return nil
	}
	q.submitted = q.created
	if err := step(q.created, application.ByFacility, aid, qualification.ActionApply, "", "qualification_applied", ""); err != nil {
		return err
	}
	at := q.created
	if g.chance(qualChangedShare) {
		at = g.between(at, minTime(g.now, at.AddDate(0, 0, 5)))
		q.in = g.qualInput(f.pref, at)
		if err := step(at, application.ByFacility, aid, qualification.ActionChange, "", "qualification_changed", ""); err != nil {
			return err
		}
	}
	if g.chance(qualReturnedShare) {
		returned := at.Add(time.Duration(2+g.rng.IntN(8)) * 24 * time.Hour)
		if returned.After(g.now) {
			return nil
		}
		op, reason := g.pickOp(), pick(g, returnReasons)
		if err := step(returned, application.ByOperator, op, qualification.ActionReturn, reason, "qualification_returned", reason); err != nil {
			return err
		}
		g.record(returned, op, qualification.AuditReturn, "qualification_application", id,
			map[string]any{"reference": q.reference, "reason": reason})
		q.returned, q.reason = returned, reason
		resubmitted := returned.Add(time.Duration(1+g.rng.IntN(10*24)) * time.Hour)
		if !g.chance(qualResubmitShare) || resubmitted.After(g.now) {
			return nil
		}
		if q.in.CustomerID != "" {
			q.in.CustomerID = g.customerID()
		}
		if err := step(resubmitted, application.ByFacility, aid, qualification.ActionResubmit, "", "qualification_resubmitted", ""); err != nil {
			return err
		}
		q.submitted, q.returned, q.reason, at = resubmitted, time.Time{}, "", resubmitted
	}
	approved := at.Add(time.Duration(3*24+g.rng.IntN(17*24)) * time.Hour)
	if approved.After(g.now) || !g.chance(qualApprovedShare) {
		return nil
	}
	op := g.pickOp()
	if err := step(approved, application.ByOperator, op, qualification.ActionApprove, "", "qualification_approved", ""); err != nil {
		return err
	}
	g.record(approved, op, qualification.AuditApprove, "qualification_application", id, map[string]any{"reference": q.reference})
	q.approved = approved
	return nil
}
