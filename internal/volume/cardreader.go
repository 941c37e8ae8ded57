package volume

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/cardreader"
	"portal/internal/jp"
	"portal/internal/mail"
	"portal/internal/pref"
)

// app is a generated card reader application; apps[i] has id i+1.
type app struct {
	account   int // index in accounts
	created   time.Time
	status    string
	reference string
	in        cardreader.Input
	delivery  time.Time // 配送予定日, JST midnight (zero until set)
	previous  time.Time // the 配送予定日 mailed before a correction (zero if never corrected)
	set       time.Time // when an operator set the date
	corrected time.Time
	shipped   time.Time
	cancelled time.Time
	changed   time.Time // when the facility changed it (zero if never)
}

// How the applications stand on deadline day, oldest first: the oldest are shipped, the
// next have a delivery date, the rest wait; a few were cancelled by the facility, a few
// changed, and a few dates corrected by an operator.
const (
	shippedShare   = 0.30
	scheduledShare = 0.20
	cancelledShare = 0.04
	changedShare   = 0.10
	correctedShare = 0.03
)

func fillCardReader(ctx context.Context, tx pgx.Tx, g *gen) error {
	picked := g.sample(len(g.accounts), g.n.Applications)
	g.apps = make([]app, len(picked))
	for i, ai := range picked {
		g.apps[i] = app{account: ai, created: g.between(g.accounts[ai].created, g.now)}
	}
	slices.SortFunc(g.apps, func(a, b app) int { return a.created.Compare(b.created) })
	for i := range g.apps {
		if err := g.cardReaderLife(i); err != nil {
			return err
		}
	}
	if err := g.copyApplications(ctx, tx); err != nil {
		return err
	}
	if err := checkIdentities(ctx, tx, "cardreader_applications", len(g.apps)); err != nil {
		return err
	}
	if err := setSequence(ctx, tx, cardreader.Kind, len(g.apps)); err != nil {
		return err
	}
	return g.copyItems(ctx, tx)
}

// cardReaderLife decides what happened to application i and records its history, mails
// and the operators' audit entries, each step checked against the kind's transitions.
func (g *gen) cardReaderLife(i int) error {
	a := &g.apps[i]
	f := g.facilities[g.accounts[a.account].facility]
	a.reference = reference(cardreader.Kind, a.created, i+1)
	a.in = cardreader.Input{Survey: g.survey(a.created, cardreader.IsPharmacy(g.accountFacility(a.account)))}
	a.in.Items = g.readers(f)
	a.in.Delivery = g.delivery(f)
	rank := float64(i) / float64(len(g.apps))
	switch {
	case g.chance(cancelledShare):
		a.cancelled = g.between(a.created, g.now)
	case rank < shippedShare:
		a.delivery = jp.Midnight(a.created.AddDate(0, 0, 20+g.rng.IntN(30)))
		if a.delivery.Before(g.now.AddDate(0, 0, -1)) {
			a.shipped = a.delivery.AddDate(0, 0, -2).Add(time.Duration(9+g.rng.IntN(8)) * time.Hour)
		}
	case rank < shippedShare+scheduledShare:
		a.delivery = jp.Midnight(g.now.AddDate(0, 0, 1+g.rng.IntN(45)))
	}
	if !a.delivery.IsZero() {
		last := minTime(g.now, a.delivery.Add(-24*time.Hour))
		if !a.shipped.IsZero() {
			last = minTime(last, a.shipped.Add(-time.Hour))
		}
		a.set = minTime(g.between(maxTime(a.created.Add(time.Hour), last.AddDate(0, 0, -20)), last), g.now)
		if g.chance(correctedShare) {
			a.previous = a.delivery.AddDate(0, 0, -3-g.rng.IntN(10))
			a.corrected = g.between(a.set, last)
		}
	}
	if (a.cancelled.IsZero() || g.chance(0.3)) && g.chance(changedShare) {
		end := g.now
		for _, t := range []time.Time{a.set, a.cancelled} {
			if !t.IsZero() {
				end = t
			}
		}
		a.changed = g.between(a.created, end)
	}
	return g.cardReaderSteps(i)
}

// cardReaderSteps writes application i's history, mails and audit entries in the order
// they happened.
func (g *gen) cardReaderSteps(i int) error {
	a := &g.apps[i]
	acc := g.accounts[a.account]
	f := g.facilities[acc.facility]
	id, fid, aid := int64(i+1), int64(acc.facility+1), int64(a.account+1)
	status := application.None
	ev := func(at time.Time, by application.Actor, actor int64, action, detail string) error {
		to, err := checkStep(cardreader.Kind, status, action, by)
		if err != nil {
			return err
		}
		status = to
		g.addEvent(event{kind: cardreader.Kind, app: id, facility: fid, reference: a.reference, at: at, by: by,
			actorID: actor, action: action, detail: detail})
		return nil
	}
	d := cardreader.Describe(a.in, g.accountFacility(a.account), g.catalog())
	notice := mail.CardReaderApplied{FacilityName: f.name, ReferenceNumber: a.reference, Details: d.MailLines(), BaseURL: baseURL}
	summary := g.itemSummary(a.in.Items)
	if err := ev(a.created, application.ByFacility, aid, cardreader.ActionApply, summary); err != nil {
		return err
	}
	g.accountMail(a.created, "cardreader_applied", a.account, notice)
	if !a.changed.IsZero() {
		if err := ev(a.changed, application.ByFacility, aid, cardreader.ActionChange, summary); err != nil {
			return err
		}
		g.accountMail(a.changed, "cardreader_changed", a.account, notice)
	}
	if !a.cancelled.IsZero() {
		if err := ev(a.cancelled, application.ByFacility, aid, cardreader.ActionCancel, ""); err != nil {
			return err
		}
		g.accountMail(a.cancelled, "cardreader_cancelled", a.account, notice)
	}
	if !a.delivery.IsZero() {
		first := a.delivery
		if !a.previous.IsZero() {
			first = a.previous
		}
		op := g.pickOp()
		if err := ev(a.set, application.ByOperator, op, cardreader.ActionSchedule, jp.Date(first)); err != nil {
			return err
		}
		g.mail(a.set, "cardreader_delivery_date", acc.email, fid, mail.CardReaderDeliveryDate{FacilityName: f.name,
			ReferenceNumber: a.reference, DeliveryDate: jp.Date(first), BaseURL: baseURL})
		g.record(a.set, op, cardreader.AuditDeliveryDate, "cardreader_application", id, map[string]any{"date": jp.ISODate(first)})
		if !a.previous.IsZero() {
			op := g.pickOp()
			if err := ev(a.corrected, application.ByOperator, op, cardreader.ActionCorrect,
				jp.Date(a.previous)+" → "+jp.Date(a.delivery)); err != nil {
				return err
			}
			g.mail(a.corrected, "cardreader_delivery_date_corrected", acc.email, fid, mail.CardReaderDeliveryDate{FacilityName: f.name,
				ReferenceNumber: a.reference, DeliveryDate: jp.Date(a.delivery), PreviousDate: jp.Date(a.previous), BaseURL: baseURL})
			g.record(a.corrected, op, cardreader.AuditDeliveryDateCorrected, "cardreader_application", id,
				map[string]any{"date": jp.ISODate(a.delivery), "previous": jp.ISODate(a.previous)})
		}
	}
	if !a.shipped.IsZero() {
		op := g.pickOp()
		if err := ev(a.shipped, application.ByOperator, op, cardreader.ActionShip, ""); err != nil {
			return err
		}
		g.record(a.shipped, op, cardreader.AuditShipped, "cardreader_application", id, nil)
	}
	a.status = status
	return nil
}

// accountFacility is the facility of account ai as the application rules see it.
func (g *gen) accountFacility(ai int) account.Facility {
	fi := g.accounts[ai].facility
	f := g.facilities[fi]
	return account.Facility{ID: int64(fi + 1), PrefectureCode: f.pref, ScoreTableCode: f.table, Code: f.code, Kind: f.kind,
		Name: f.name, FounderName: f.founder, PostalCode: f.postal, Address: f.address, Phone: f.phone,
		LargeChainPharmacy: f.chain, DentalHospitalWithMedical: f.dentalMed}
}

// catalog is the catalog as cardreader.Describe names the readers.
func (g *gen) catalog() []cardreader.Model {
	out := make([]cardreader.Model, len(g.models))
	for i, m := range g.models {
		out[i] = cardreader.Model{ID: m.id, Maker: m.maker, Product: m.product}
	}
	return out
}

// itemSummary is the history's description of the readers, as the store writes it:
// 「メーカー／製品 N台」, joined by 「、」.
func (g *gen) itemSummary(items [cardreader.Slots]cardreader.Item) string {
	var parts []string
	for _, it := range items {
		if !it.Used() {
			continue
		}
		for _, m := range g.models {
			if m.id == it.ModelID {
				parts = append(parts, fmt.Sprintf("%s／%s %d台", m.maker, m.product, it.Quantity))
			}
		}
	}
	return strings.Join(parts, "、")
}

// readers chooses what a facility of f's kind asks for within its limit: one reader for
// most, up to three (of different makers) for a hospital.
func (g *gen) readers(f facility) [cardreader.Slots]cardreader.Item {
	limit := cardreader.MaxReaders(account.Facility{Kind: f.kind, DentalHospitalWithMedical: f.dentalMed})
	var quantities []int
	switch {
	case limit == 1:
		quantities = []int{1}
	case g.chance(0.5):
		quantities = []int{1 + g.rng.IntN(limit)}
	case g.chance(0.6):
		quantities = []int{1 + g.rng.IntN(limit-1), 1}
	default:
		quantities = []int{1, 1, 1}
	}
	taken := map[string]bool{}
	var items [cardreader.Slots]cardreader.Item
	for s, q := range quantities {
		m, ok := g.pickModel(taken)
		if !ok {
			break
		}
		taken[m.maker] = true
		items[s] = cardreader.Item{ModelID: m.id, Quantity: q}
	}
	return items
}

// delivery is where the readers go: the master's address for most, another address now and then.
func (g *gen) delivery(f facility) cardreader.Delivery {
	if !g.chance(0.05) {
		return cardreader.Delivery{}
	}
	other := g.facilities[g.rng.IntN(len(g.facilities))]
	return cardreader.Delivery{Change: true, Postal: strings.ReplaceAll(other.postal, "-", ""), PrefectureCode: other.pref,
		Address:  strings.TrimPrefix(other.address, pref.Name(other.pref)),
		Building: fmt.Sprintf("%sビル%d階", pick(g, corporateWords), 1+g.rng.IntN(9)), Name: f.name + " 事務部",
		Phone: g.phone(other.pref), Contact: pick(g, surnames) + " " + pick(g, givenNames)}
}

// survey answers the questions the way facilities answer them: most have online claims,
// about half an electronic chart or dispensing system.
func (g *gen) survey(created time.Time, pharmacy bool) cardreader.Survey {
	intro := created.AddDate(0, 3+g.rng.IntN(10), 0)
	s := cardreader.Survey{IntroYear: intro.Year(), IntroMonth: int(intro.Month())}
	answer := func(introduced, planned float64) (string, int, int) {
		r := g.rng.Float64()
		switch {
		case r < introduced:
			return cardreader.Introduced, 0, 0
		case r < introduced+planned:
			t := created.AddDate(0, 1+g.rng.IntN(18), 0)
			return cardreader.Planned, t.Year(), int(t.Month())
		case r < 0.95:
			return cardreader.NotPlanned, 0, 0
		}
		return "", 0, 0 // not answered (optional questions)
	}
	s.OnlineClaim, s.OnlineClaimYear, s.OnlineClaimMonth = answer(0.7, 0.2)
	if s.OnlineClaim == "" {
		s.OnlineClaim = cardreader.NotPlanned // required
	}
	if pharmacy {
		s.Dispensing, s.DispensingYear, s.DispensingMonth = answer(0.6, 0.2)
	} else {
		s.EMR, s.EMRYear, s.EMRMonth = answer(0.45, 0.25)
	}
	return s
}

func (g *gen) copyApplications(ctx context.Context, tx pgx.Tx) error {
	return g.copyRows(ctx, tx, "cardreader_applications",
		[]string{"reference", "facility_id", "account_id", "status",
			"intro_year", "intro_month", "online_claim", "online_claim_year", "online_claim_month",
			"emr", "emr_year", "emr_month", "dispensing", "dispensing_year", "dispensing_month",
			"delivery_change", "delivery_postal", "delivery_pref", "delivery_address", "delivery_building",
			"delivery_name", "delivery_phone", "delivery_contact", "delivery_date", "shipped_at", "cancelled_at",
			"created_at", "updated_at"},
		len(g.apps), func(i int) ([]any, error) {
			a := g.apps[i]
			s, d := a.in.Survey, a.in.Delivery
			updated := a.created
			for _, t := range []time.Time{a.changed, a.set, a.corrected, a.cancelled, a.shipped} {
				updated = maxTime(updated, t)
			}
			delivery := a.delivery
			if a.status == cardreader.StatusCancelled {
				delivery = time.Time{}
			}
			return []any{a.reference, g.accounts[a.account].facility + 1, a.account + 1, a.status,
				s.IntroYear, s.IntroMonth, s.OnlineClaim, nullInt(s.OnlineClaimYear), nullInt(s.OnlineClaimMonth),
				nullString(s.EMR), nullInt(s.EMRYear), nullInt(s.EMRMonth), nullString(s.Dispensing), nullInt(s.DispensingYear),
				nullInt(s.DispensingMonth), d.Change, d.Postal, nullInt(d.PrefectureCode), d.Address, d.Building, d.Name, d.Phone,
				d.Contact, nullDate(delivery), nullTime(a.shipped), nullTime(a.cancelled), a.created, updated}, nil
		})
}

func (g *gen) copyItems(ctx context.Context, tx pgx.Tx) error {
	type item struct {
		app, slot int
		it        cardreader.Item
	}
	var items []item
	for i, a := range g.apps {
		for s, it := range a.in.Items {
			if it.Used() {
				items = append(items, item{app: i + 1, slot: s + 1, it: it})
			}
		}
	}
	return g.copyRows(ctx, tx, "cardreader_application_items", []string{"application_id", "slot", "model_id", "quantity"},
		len(items), func(i int) ([]any, error) {
			it := items[i]
			return []any{it.app, it.slot, it.it.ModelID, it.it.Quantity}, nil
		})
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// nullDate is a day as a DATE column takes it: the JST date at UTC midnight.
func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	y, m, d := t.In(jp.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
