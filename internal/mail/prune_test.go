package mail

import (
	"context"
	"errors"
	"testing"
	"time"

	"portal/internal/testdb"
)

// TestPruneBodiesKeepsTheDeliveryRecord: old sent and failed mails lose their bodies and
// keep everything else; recent mails, and old mails still to be delivered, keep theirs.
func TestPruneBodiesKeepsTheDeliveryRecord(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	old := time.Now().Add(-91 * 24 * time.Hour)
	id := seedMails(t, db,
		seeded{to: "old-sent@example.jp", status: StatusSent, at: old},
		seeded{to: "old-failed@example.jp", status: StatusFailed, at: old},
		seeded{to: "old-queued@example.jp", status: StatusQueued, at: old},
		seeded{to: "new-sent@example.jp", status: StatusSent, at: time.Now().Add(-89 * 24 * time.Hour)},
	)
	if _, err := db.Exec(ctx, `UPDATE mail_outbox SET attempts = 3, smtp_reply = '250 ok', sent_at = created_at WHERE id = $1`, id[0]); err != nil {
		t.Fatal(err)
	}
	n, err := PruneBodies(ctx, db, 90*24*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want the two old delivered-or-failed mails", n, err)
	}
	if n, err := PruneBodies(ctx, db, 90*24*time.Hour); err != nil || n != 0 {
		t.Fatalf("second run pruned %d, %v", n, err)
	}

	d, err := Get(ctx, db, id[0])
	if err != nil {
		t.Fatal(err)
	}
	if d.Body != "" || d.BodyPrunedAt == nil {
		t.Errorf("body kept: %q %v", d.Body, d.BodyPrunedAt)
	}
	if d.To != "old-sent@example.jp" || d.Subject != "件名" || d.Template != "cardreader_applied" || d.Status != StatusSent ||
		d.Attempts != 3 || d.Reply != "250 ok" || d.SentAt == nil || d.MessageID == "" {
		t.Errorf("delivery record lost: %+v", d)
	}
	for _, keep := range id[2:] {
		if d, err := Get(ctx, db, keep); err != nil || d.Body != "本文" || d.BodyPrunedAt != nil {
			t.Errorf("mail %d lost its body: %+v %v", keep, d, err)
		}
	}
	// A pruned mail cannot go out again.
	if err := Requeue(ctx, db, id[1]); !errors.Is(err, ErrBodyPruned) {
		t.Errorf("requeue of a pruned mail: %v", err)
	}
	if _, err := Copy(ctx, db, id[0]); !errors.Is(err, ErrBodyPruned) {
		t.Errorf("copy of a pruned mail: %v", err)
	}
}

func TestGetMissingMail(t *testing.T) {
	t.Parallel()
	if _, err := Get(context.Background(), testdb.New(t), 424242); !errors.Is(err, ErrNoMail) {
		t.Errorf("got %v", err)
	}
}
