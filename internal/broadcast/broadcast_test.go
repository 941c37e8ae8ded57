package broadcast_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/jobs"
	"portal/internal/operator"
	"portal/internal/testdb"
)

// newService returns a broadcast service on db with its job client, started when start.
func newService(t testing.TB, db *pgxpool.Pool, start bool) *broadcast.Service {
	t.Helper()
	q, err := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Options{PollInterval: 100 * time.Millisecond, ForTests: true})
	if err != nil {
		t.Fatal(err)
	}
	s := broadcast.NewService(db, q, "https://portal.example.jp")
	if start {
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := q.Stop(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	return s
}

// seedAccounts makes n facilities with accounts: every third a hospital in Osaka (27),
// the rest clinics in Tokyo (13); the first one has a card reader application.
func seedAccounts(t testing.TB, db *pgxpool.Pool, n int) {
	t.Helper()
	ctx := context.Background()
	_, err := db.Exec(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		SELECT CASE WHEN g % 3 = 0 THEN 27 ELSE 13 END, 1, lpad(g::text, 7, '0'), CASE WHEN g % 3 = 0 THEN '病院' ELSE '診療所' END,
			'医療機関' || g, '開設者', '1000001', '東京都', '03-0000-0000' FROM generate_series(1, $1) g`, n)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(ctx, `INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		SELECT id, 'user' || id || '@example.jp', 'x', name, '開設者', '03-0000-0000', '担当' FROM facilities ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
}

func supervisor(t testing.TB, db *pgxpool.Pool) int64 {
	t.Helper()
	o, err := operator.Create(context.Background(), db, operator.NewOperator{Login: "sv", Name: "監督", Role: operator.RoleSupervisor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func count(t testing.TB, db *pgxpool.Pool, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func waitEnqueued(t *testing.T, s *broadcast.Service, id int64) broadcast.Broadcast {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, err := s.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status != broadcast.StatusEnqueuing {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("broadcast %d still enqueuing after 30 s: %+v", id, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPreviewCountsAndRefusesNobody(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	seedAccounts(t, db, 9)
	s := newService(t, db, false)
	p, err := s.Preview(ctx, broadcast.Draft{Subject: "件名", Body: "本文", Audience: audience.Filter{Prefecture: 27, Kind: "病院"}})
	if err != nil || p.Recipients != 3 || !strings.Contains(p.MailBody, "（医療機関等名） ご担当者様") {
		t.Fatalf("preview %+v %v", p, err)
	}
	var invalid *broadcast.InvalidError
	_, err = s.Preview(ctx, broadcast.Draft{Subject: "件名", Body: "本文", Audience: audience.Filter{Prefecture: 1}})
	if !errors.As(err, &invalid) || invalid.Errors["audience"] != broadcast.MsgNobody {
		t.Errorf("a filter matching nobody: %v", err)
	}
	_, err = s.Preview(ctx, broadcast.Draft{Subject: "改行\nあり", Body: "", Audience: audience.Filter{State: "no-such-state", Prefecture: 99}})
	if !errors.As(err, &invalid) {
		t.Fatalf("bad draft: %v", err)
	}
	for _, f := range []string{"subject", "body", "state", "pref"} {
		if !invalid.Errors.Has(f) {
			t.Errorf("no error for %s: %v", f, invalid.Errors)
		}
	}
	// Application states.
	var fac int64
	if err := db.QueryRow(ctx, `SELECT facility_id FROM accounts ORDER BY id LIMIT 1`).Scan(&fac); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `INSERT INTO qualification_applications (reference, facility_id, account_id, status, line_type, provider, start_year, start_month)
		SELECT 'QA1', facility_id, id, '申請中', 'IPsec+IKE接続方式', '富士通株式会社', 2027, 4 FROM accounts WHERE facility_id = $1`, fac); err != nil {
		t.Fatal(err)
	}
	for state, want := range map[string]int{"qualification_none": 8, "qualification_not_approved": 9, "cardreader_none": 9} {
		if n, err := s.Count(ctx, audience.Filter{State: state}); err != nil || n != want {
			t.Errorf("state %s: %d %v, want %d", state, n, err, want)
		}
	}
}

func TestSendWritesEachMailOnceAndResumes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	seedAccounts(t, db, 30)
	sv := supervisor(t, db)
	// The job client is not started: the broadcast waits, then runs in chunks of 7.
	s := newService(t, db, false)
	s.ChunkSize = 7
	d := broadcast.Draft{Subject: "お知らせ", Body: "本文です。", Audience: audience.Filter{Prefecture: 13}}
	id, err := s.Send(ctx, sv, d, "token-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := s.Send(ctx, sv, d, "token-0123456789abcdef"); err != nil || again != id {
		t.Errorf("the same confirm page twice: %d %v, want %d", again, err, id)
	}
	// A crash after two chunks: their mails are written; the rest follows from the cursor,
	// and a chunk run again writes nothing twice.
	if _, err := db.Exec(ctx, `UPDATE broadcasts SET cursor_account = 0 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if err := s.EnqueueAll(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE broadcasts SET status = 'enqueuing', cursor_account = 0 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	started := newService(t, db, true)
	started.ChunkSize = 7
	b := waitEnqueued(t, started, id)
	if b.Planned != 20 || b.Progress.Queued != 20 || b.StatusLabel() != "送信中" {
		t.Errorf("after enqueue: planned %d, progress %+v, %s", b.Planned, b.Progress, b.StatusLabel())
	}
	if n := count(t, db, `SELECT count(DISTINCT to_addr) FROM mail_outbox WHERE broadcast_id = $1`, id); n != 20 {
		t.Errorf("%d distinct recipients, want 20", n)
	}
	if n := count(t, db, `SELECT count(*) FROM mail_outbox WHERE broadcast_id = $1 AND body LIKE '%医療機関%ご担当者様%本文です。%'`, id); n != 20 {
		t.Errorf("%d mails with the name and the text, want 20", n)
	}
	// Stopped part way: three sent, the rest cancelled; stopping again changes nothing.
	if _, err := db.Exec(ctx, `UPDATE mail_outbox SET status = 'sent', sent_at = now() WHERE id IN (
		SELECT id FROM mail_outbox WHERE broadcast_id = $1 ORDER BY id LIMIT 3)`, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(ctx, sv, id); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(ctx, sv, id); err != nil {
		t.Fatal(err)
	}
	b, _ = s.Get(ctx, id)
	if b.Progress.Sent != 3 || b.Progress.Cancelled != 17 || b.Stoppable() || b.StatusLabel() != "停止" || b.StoppedBy != "監督" {
		t.Errorf("after stop: %+v %s", b.Progress, b.StatusLabel())
	}
	if err := s.Stop(ctx, sv, 999999); !errors.Is(err, broadcast.ErrNotFound) {
		t.Errorf("unknown broadcast: %v", err)
	}
	list, total, err := s.List(ctx, 10, 0)
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != id {
		t.Errorf("list %+v %d %v", list, total, err)
	}
}

// Regression: the confirm page posted twice at once (a double click) looked its token up,
// found nothing, and the second INSERT then failed on the token's unique key: the
// supervisor got the error page for a broadcast that had gone out. The second now gets
// the first's id.
func TestSendTwiceAtOnceAnswersBoth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	seedAccounts(t, db, 3)
	sv := supervisor(t, db)
	s := newService(t, db, false)
	const token = "token-at-once-0123456789"
	first, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = first.Rollback(ctx) }()
	var id int64
	if err := first.QueryRow(ctx, `INSERT INTO broadcasts (template, subject, status, created_by, token)
		VALUES ('broadcast', 'お知らせ', 'enqueuing', $1, $2) RETURNING id`, sv, token).Scan(&id); err != nil {
		t.Fatal(err)
	}
	type result struct {
		id  int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		again, err := s.Send(ctx, sv, broadcast.Draft{Subject: "お知らせ", Body: "本文です。"}, token)
		done <- result{again, err}
	}()
	testdb.WaitForLock(t, db)
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if r := <-done; r.err != nil || r.id != id {
		t.Fatalf("second post: %d %v, want %d", r.id, r.err, id)
	}
	if n := count(t, db, `SELECT count(*) FROM broadcasts`); n != 1 {
		t.Errorf("%d broadcasts", n)
	}
}
