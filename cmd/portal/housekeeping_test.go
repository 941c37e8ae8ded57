package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"portal/internal/config"
	"portal/internal/testdb"
)

// TestHousekeepingPrunesOldMailBodies: serve's hourly housekeeping drops the bodies of mails
// older than MAIL_BODY_RETENTION on its first round, and keeps their delivery records.
func TestHousekeepingPrunesOldMailBodies(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	if _, err := db.Exec(ctx, `INSERT INTO mail_outbox (message_id, template, to_addr, subject, body, status, created_at) VALUES
		('old', 'cardreader_applied', 'old@example.jp', '件名', '本文', 'sent', now() - interval '31 days'),
		('new', 'cardreader_applied', 'new@example.jp', '件名', '本文', 'sent', now() - interval '29 days')`); err != nil {
		t.Fatal(err)
	}
	a := &app{cfg: &config.Config{MailBodyRetention: 30 * 24 * time.Hour}, log: slog.New(slog.NewTextHandler(io.Discard, nil)), db: db}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.housekeeping(runCtx, time.Hour); close(done) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var pruned int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE body IS NULL`).Scan(&pruned); err != nil {
			t.Fatal(err)
		}
		if pruned > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done
	var kept []string
	rows, err := db.Query(ctx, `SELECT to_addr FROM mail_outbox WHERE body IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, s)
	}
	if len(kept) != 1 || kept[0] != "new@example.jp" {
		t.Errorf("bodies kept for %v, want only the recent mail's", kept)
	}
	var records int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE subject = '件名' AND status = 'sent'`).Scan(&records); err != nil || records != 2 {
		t.Errorf("%d delivery records left (%v)", records, err)
	}
}
