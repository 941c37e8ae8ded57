package volume

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/jp"
)

// reference is the 申込番号 application.NewReference gives the serial-th application of
// kind k made at t: the kind's prefix, the JST date and the serial (CR261201-000042).
func reference(k application.Kind, t time.Time, serial int) string {
	return fmt.Sprintf("%s%s-%06d", k.Prefix, t.In(jp.Zone).Format("060102"), serial)
}

// setSequence moves a kind's 申込番号 sequence past the serials the fill used, so the next
// application the portal takes continues the numbering.
func setSequence(ctx context.Context, tx pgx.Tx, k application.Kind, used int) error {
	if _, err := tx.Exec(ctx, `SELECT setval($1::regclass, $2, $3)`, k.Sequence, max(used, 1), used > 0); err != nil {
		return fmt.Errorf("%s reference sequence: %w", k.Code, err)
	}
	return nil
}

// event is one line of an application's history (application_events), as
// application.AddEvent writes it.
type event struct {
	kind      application.Kind
	app       int64 // id in the kind's own table
	facility  int64
	reference string
	at        time.Time
	by        application.Actor
	actorID   int64
	action    string
	detail    string
}

// addEvent records a step of an application for fillHistory.
func (g *gen) addEvent(e event) { g.events = append(g.events, e) }

// fillHistory writes the history of every application kind in the order it happened.
func fillHistory(ctx context.Context, tx pgx.Tx, g *gen) error {
	slices.SortStableFunc(g.events, func(a, b event) int { return a.at.Compare(b.at) })
	err := g.copyRows(ctx, tx, "application_events",
		[]string{"kind", "application_id", "facility_id", "reference", "at", "actor", "actor_id", "action", "detail"},
		len(g.events), func(i int) ([]any, error) {
			e := g.events[i]
			return []any{e.kind.Code, e.app, e.facility, e.reference, e.at, string(e.by), e.actorID, e.action, e.detail}, nil
		})
	g.events = nil
	return err
}

// checkStep refuses a history line its kind does not allow from the status it was taken
// in: the generator walks each application through its kind's transitions as data, the
// same table the portal checks.
func checkStep(k application.Kind, from, action string, by application.Actor) (string, error) {
	to, err := k.Next(from, action, by)
	if err != nil {
		return "", fmt.Errorf("volume: generated step: %w", err)
	}
	return to, nil
}
