package application

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
)

// OverviewQueuer is an application kind's service as マイページ reads it: its queries are
// queued on a batch that the page sends in one round trip with everything else it shows,
// and the returned function builds the kind's Overview once the batch was read, from its
// results and the kind's history.
type OverviewQueuer interface {
	QueueOverview(b *pgx.Batch, f account.Facility) func(history []Event) (Overview, error)
}

// QueueHistory queues the history of every application of a facility on b, oldest first;
// the returned function gives it by kind once b was read.
func QueueHistory(b *pgx.Batch, facilityID int64) func() map[string][]Event {
	byKind := map[string][]Event{}
	b.Queue(`SELECT `+eventColumns+` FROM application_events e
		LEFT JOIN operators o ON e.actor = 'operator' AND o.id = e.actor_id
		WHERE e.facility_id = $1 ORDER BY e.at, e.id`, facilityID).Query(func(rows pgx.Rows) error {
		evs, err := scanEvents(rows)
		if err != nil {
			return fmt.Errorf("application: history: %w", err)
		}
		for _, e := range evs {
			byKind[e.Kind] = append(byKind[e.Kind], e)
		}
		return nil
	})
	return func() map[string][]Event { return byKind }
}

// OverviewNow is one kind's Overview on its own (the operators' facility page): the kind's
// queries and the facility's history in one batch.
func OverviewNow(ctx context.Context, db *pgxpool.Pool, k Kind, q OverviewQueuer, f account.Facility) (Overview, error) {
	b := &pgx.Batch{}
	history := QueueHistory(b, f.ID)
	build := q.QueueOverview(b, f)
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return Overview{}, err
	}
	return build(history()[k.Code])
}
