package volume

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/pref"
)

// app is a generated card reader application; apps[i] has id i+1.
type app struct {
	account   int // index in accounts
	created   time.Time
	status    string
	reference string
	delivery  time.Time // 配送予定日 (zero until set)
	shipped   time.Time
	cancelled time.Time
	changed   time.Time // when the facility changed it (zero if never)
	items     []cardreader.Item
	summary   string // the readers as the history writes them
}

// How the applications stand on deadline day, oldest first: the oldest are shipped, the
// next have a delivery date, the rest wait; a few were cancelled by the facility.
const (
	shippedShare   = 0.30
	scheduledShare = 0.20
	cancelledShare = 0.04
	changedShare   = 0.10
)

func fillCardReader(ctx context.Context, tx pgx.Tx, g *gen) error {
	picked := g.sample(len(g.accounts), g.n.Applications)
	g.apps = make([]app, len(picked))
	for i, ai := range picked {
		g.apps[i] = app{account: ai, created: g.between(g.accounts[ai].created, g.now)}
	}
	slices.SortFunc(g.apps, func(a, b app) int { return a.created.Compare(b.created) })
	for i := range g.apps {
		a := &g.apps[i]
		f := g.facility(a.account)
		a.reference = fmt.Sprintf("CR%s-%06d", a.created.In(jst).Format("060102"), i+1)
		a.status = cardreader.StatusReceived
		rank := float64(i) / float64(len(g.apps))
		switch {
		case g.chance(cancelledShare):
			a.status, a.cancelled = cardreader.StatusCancelled, g.between(a.created, g.now)
		case rank < shippedShare:
			a.delivery = a.created.AddDate(0, 0, 20+g.rng.IntN(30))
			if a.delivery.Before(g.now.AddDate(0, 0, -1)) {
				a.status, a.shipped = cardreader.StatusShipped, a.delivery.AddDate(0, 0, -2)
			} else {
				a.status = cardreader.StatusScheduled
			}
		case rank < shippedShare+scheduledShare:
			a.status, a.delivery = cardreader.StatusScheduled, g.now.AddDate(0, 0, 1+g.rng.IntN(45))
		}
		if a.status == cardreader.StatusReceived && g.chance(changedShare) {
			a.changed = g.between(a.created, g.now)
		}
		a.items, a.summary = g.readers(f)
	}
	if err := g.copyApplications(ctx, tx); err != nil {
		return err
	}
	if err := checkIdentities(ctx, tx, "cardreader_applications", len(g.apps)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `SELECT setval('cardreader_reference_seq', $1)`, max(len(g.apps), 1)); err != nil {
		return fmt.Errorf("reference sequence: %w", err)
	}
	if err := g.copyItems(ctx, tx); err != nil {
		return err
	}
	return g.copyEvents(ctx, tx)
}

// jst is Japan's time, in which references carry their date.
var jst = time.FixedZone("JST", 9*60*60)

func (g *gen) facility(accountIndex int) facility {
	return g.facilities[g.accounts[accountIndex].facility]
}

// readers chooses what a facility of f's kind asks for within its limit: one reader for
// most, up to three (of different makers) for a hospital.
func (g *gen) readers(f facility) ([]cardreader.Item, string) {
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
	var items []cardreader.Item
	var parts []string
	for _, q := range quantities {
		m, ok := g.pickModel(taken)
		if !ok {
			break
		}
		taken[m.maker] = true
		items = append(items, cardreader.Item{ModelID: m.id, Quantity: q})
		parts = append(parts, fmt.Sprintf("%s／%s %d台", m.maker, m.product, q))
	}
	return items, strings.Join(parts, "、")
}

// survey answers the questions the way facilities answer them: most have online claims,
// about half an electronic chart or dispensing system.
func (g *gen) survey(a app, pharmacy bool) []any {
	intro := a.created.AddDate(0, 3+g.rng.IntN(10), 0)
	answer := func(introduced, planned float64) (any, any, any) {
		r := g.rng.Float64()
		switch {
		case r < introduced:
			return cardreader.Introduced, nil, nil
		case r < introduced+planned:
			t := a.created.AddDate(0, 1+g.rng.IntN(18), 0)
			return cardreader.Planned, t.Year(), int(t.Month())
		case r < 0.95:
			return cardreader.NotPlanned, nil, nil
		}
		return nil, nil, nil // not answered (optional questions)
	}
	claim, claimY, claimM := answer(0.7, 0.2)
	if claim == nil {
		claim = cardreader.NotPlanned // required
	}
	var emr, emrY, emrM, dsp, dspY, dspM any
	if pharmacy {
		dsp, dspY, dspM = answer(0.6, 0.2)
	} else {
		emr, emrY, emrM = answer(0.45, 0.25)
	}
	return []any{intro.Year(), int(intro.Month()), claim, claimY, claimM, emr, emrY, emrM, dsp, dspY, dspM}
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
			acc := g.accounts[a.account]
			f := g.facilities[acc.facility]
			row := []any{a.reference, acc.facility + 1, a.account + 1, a.status}
			row = append(row, g.survey(a, cardreader.IsPharmacy(account.Facility{Kind: f.kind, ScoreTableCode: f.table}))...)
			if g.chance(0.05) { // readers go elsewhere than the master's address
				other := g.facilities[g.rng.IntN(len(g.facilities))]
				city := strings.TrimPrefix(other.address, pref.Name(other.pref))
				row = append(row, true, strings.ReplaceAll(other.postal, "-", ""), other.pref, city,
					fmt.Sprintf("%sビル%d階", pick(g, corporateWords), 1+g.rng.IntN(9)), f.name+" 事務部", g.phone(other.pref),
					pick(g, surnames)+" "+pick(g, givenNames))
			} else {
				row = append(row, false, "", nil, "", "", "", "", "")
			}
			updated := a.created
			for _, t := range []time.Time{a.changed, a.cancelled, a.shipped} {
				if t.After(updated) {
					updated = t
				}
			}
			return append(row, nullDate(a.delivery), nullTime(a.shipped), nullTime(a.cancelled), a.created, updated), nil
		})
}

func (g *gen) copyItems(ctx context.Context, tx pgx.Tx) error {
	type item struct {
		app, slot int
		it        cardreader.Item
	}
	var items []item
	for i, a := range g.apps {
		for s, it := range a.items {
			items = append(items, item{app: i + 1, slot: s + 1, it: it})
		}
	}
	return g.copyRows(ctx, tx, "cardreader_application_items", []string{"application_id", "slot", "model_id", "quantity"},
		len(items), func(i int) ([]any, error) {
			it := items[i]
			return []any{it.app, it.slot, it.it.ModelID, it.it.Quantity}, nil
		})
}

// copyEvents writes each application's history: 申込, a change, the operator's delivery
// date and shipping, or the facility's cancellation.
func (g *gen) copyEvents(ctx context.Context, tx pgx.Tx) error {
	type event struct {
		app     int
		at      time.Time
		actor   string
		actorID int64
		action  string
		detail  string
	}
	var events []event
	for i, a := range g.apps {
		acc := int64(a.account + 1)
		events = append(events, event{i + 1, a.created, "facility", acc, "申込", a.summary})
		if !a.changed.IsZero() {
			events = append(events, event{i + 1, a.changed, "facility", acc, "変更", a.summary})
		}
		if !a.delivery.IsZero() {
			set := a.delivery.AddDate(0, 0, -14)
			if set.Before(a.created) || set.After(g.now) {
				set = g.between(a.created, g.now)
			}
			events = append(events, event{i + 1, set, "operator", pick(g, g.operators), "配送予定日決定", a.delivery.Format("2006-01-02")})
		}
		if !a.shipped.IsZero() {
			events = append(events, event{i + 1, a.shipped, "operator", pick(g, g.operators), "発送済", ""})
		}
		if !a.cancelled.IsZero() {
			events = append(events, event{i + 1, a.cancelled, "facility", acc, "取消", ""})
		}
	}
	return g.copyRows(ctx, tx, "cardreader_application_events", []string{"application_id", "at", "actor", "actor_id", "action", "detail"},
		len(events), func(i int) ([]any, error) {
			e := events[i]
			return []any{e.app, e.at, e.actor, e.actorID, e.action, e.detail}, nil
		})
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	y, m, d := t.In(jst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
