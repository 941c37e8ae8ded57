package mail

import (
	"context"
	"fmt"
	"time"

	"portal/internal/database"
)

// pruneBatch is how many bodies one statement drops, so that pruning never holds many row
// locks or writes one huge transaction.
const pruneBatch = 5000

// PruneBodies drops the bodies of sent and failed mails queued more than retention ago,
// keeping the rest of each row (address, subject, template, status, times, attempts, the
// server's answers) as the delivery record; it returns how many bodies it dropped. Queued
// and sending mails keep theirs, whatever their age: they still have to go out. Every
// instance may run it (portal serve's hourly housekeeping); it is idempotent.
func PruneBodies(ctx context.Context, db database.DB, retention time.Duration) (int64, error) {
	var total int64
	for {
		tag, err := db.Exec(ctx, `UPDATE mail_outbox SET body = NULL, body_pruned_at = now()
			WHERE id IN (
				SELECT id FROM mail_outbox
				WHERE body IS NOT NULL AND created_at < now() - $1 * interval '1 millisecond'
				  AND status IN ('sent', 'failed')
				LIMIT $2
				FOR UPDATE SKIP LOCKED)`, retention.Milliseconds(), pruneBatch)
		if err != nil {
			return total, fmt.Errorf("mail: prune bodies: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < pruneBatch {
			return total, nil
		}
	}
}
