package mail

import (
	"context"
	"fmt"
	"strings"

	"portal/internal/database"
)

// FacilityNameMarker stands in a bulk mail's data for each recipient's facility name: the
// mail is rendered once with it, and SendBulk puts every recipient's own name in its place.
// A private-use character, so no one types it.
const FacilityNameMarker = "\uE000医療機関等名\uE000"

// Bulk is one mail to many recipients (一斉送信): rendered once, written to the outbox by one
// INSERT … SELECT, and delivered by the workers at the broadcast pace, after every due
// transactional mail (see Worker).
type Bulk struct {
	// Template and Data are as for Send; FacilityNameMarker in Data becomes each
	// recipient's facility name in the body.
	Template string
	Data     any
	// BroadcastID ties the mails to their broadcast: progress, stopping, and at most one
	// mail per broadcast and facility.
	BroadcastID int64
}

// SendBulk renders b once and writes one outbox row per recipient in db (the caller's
// transaction), each as Send would: the same columns, its own random Message-ID. recipients
// is a SELECT yielding the columns email, facility_id and facility_name, with its own
// arguments as $1…$n; a facility the broadcast already mailed is skipped, so running the
// same chunk again writes nothing twice. It returns how many mails it wrote; addresses
// that are not plain mail addresses are left out.
func SendBulk(ctx context.Context, db database.DB, b Bulk, recipients string, args ...any) (int64, error) {
	if b.BroadcastID <= 0 {
		return 0, fmt.Errorf("mail: bulk %s: no broadcast", b.Template)
	}
	subject, body, err := Render(b.Template, b.Data)
	if err != nil {
		return 0, err
	}
	n := len(args)
	p := func(i int) string { return fmt.Sprintf("$%d", n+i) }
	// The Message-ID's left part is 32 random hex digits, like newMessageID's: a UUID's
	// 122 random bits without its dashes.
	query := `INSERT INTO mail_outbox (message_id, template, to_addr, subject, body, facility_id, broadcast_id)
		SELECT replace(gen_random_uuid()::text, '-', ''), ` + p(1) + `, r.email, ` + p(2) + `,
			replace(` + p(3) + `, ` + p(4) + `, r.facility_name), r.facility_id, ` + p(5) + `
		FROM (` + recipients + `) r
		WHERE char_length(r.email) BETWEEN 3 AND 254 AND r.email ~ '^[^@\s<>",;]+@[^@\s<>",;]+$'
		ON CONFLICT (broadcast_id, facility_id) WHERE broadcast_id IS NOT NULL DO NOTHING`
	args = append(args, b.Template, subject, body, cleanName(FacilityNameMarker), b.BroadcastID)
	tag, err := db.Exec(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("mail: bulk %s: %w", b.Template, err)
	}
	// One wake-up for the lot (the worker polls anyway).
	if _, err := db.Exec(ctx, `SELECT pg_notify($1, '')`, notifyChannel); err != nil {
		return 0, fmt.Errorf("mail: bulk %s: notify: %w", b.Template, err)
	}
	return tag.RowsAffected(), nil
}

// cleanName is the marker as the rendered body holds it (clean keeps private-use
// characters, but this keeps the two in step should it ever change).
func cleanName(s string) string { return strings.ToValidUTF8(clean(s), "") }
