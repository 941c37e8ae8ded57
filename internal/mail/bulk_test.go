package mail

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/smtptest"
	"portal/internal/testdb"
)

// The render samples of the conversation's mails.
func init() {
	type sample = struct {
		data    any
		subject string
		lines   []string
	}
	samples["broadcast"] = sample{data: Broadcast{FacilityName: "テスト医院", Subject: "システム停止のお知らせ", Body: "12月1日は停止します。",
		BaseURL: "https://portal.example.jp"}, subject: "システム停止のお知らせ",
		lines: []string{"テスト医院 ご担当者様", "12月1日は停止します。", "https://portal.example.jp/"}}
	samples["document_waiting"] = sample{data: DocumentWaiting{FacilityName: "テスト医院", Title: "運用開始日のご入力について", BaseURL: "https://portal.example.jp"},
		subject: "個別文書のお知らせ", lines: []string{"テスト医院 ご担当者様", "■文書名", "運用開始日のご入力について", "https://portal.example.jp/login"}}
	samples["inquiry_received"] = sample{data: InquiryReceived{Name: "山田 花子", Reference: "IQ261201-000001", Category: "アカウント登録・ログイン",
		BaseURL: "https://portal.example.jp"}, subject: "お問い合わせ受付のお知らせ（問い合わせ番号 IQ261201-000001）",
		lines: []string{"山田 花子 様", "■問い合わせ番号", "IQ261201-000001", "アカウント登録・ログイン", "https://portal.example.jp/inquiry"}}
	samples["inquiry_answered"] = sample{data: InquiryAnswered{Name: "山田 花子", Reference: "IQ261201-000001", Answer: "回答です。",
		Mypage: true, BaseURL: "https://portal.example.jp"}, subject: "お問い合わせへの回答（問い合わせ番号 IQ261201-000001）",
		lines: []string{"山田 花子 様", "■回答", "回答です。", "https://portal.example.jp/mypage/inquiries"}}
}

// bulkWorld makes n facilities with accounts and one broadcast row; it returns the
// broadcast's id.
func bulkWorld(t *testing.T, db *pgxpool.Pool, n int) int64 {
	t.Helper()
	ctx := context.Background()
	_, err := db.Exec(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		SELECT 13, 1, lpad(g::text, 7, '0'), '診療所', '一斉医院' || g, '開設者', '1000001', '東京都', '03-0000-0000' FROM generate_series(1, $1) g`, n)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(ctx, `INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		SELECT id, 'bulk' || id || '@example.jp', 'x', name, '開設者', '03-0000-0000', '担当' FROM facilities`)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.QueryRow(ctx, `INSERT INTO broadcasts (template, subject, body, status, token)
		VALUES ('broadcast', '件名', '本文', 'sending', 't1') RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

const allAccounts = `SELECT a.email, a.facility_id, a.facility_name FROM accounts a WHERE a.id > $1`

func sendBulk(t *testing.T, db *pgxpool.Pool, broadcast int64) int64 {
	t.Helper()
	n, err := SendBulk(context.Background(), db, Bulk{Template: "broadcast", BroadcastID: broadcast,
		Data: Broadcast{FacilityName: FacilityNameMarker, Subject: "一斉送信の件名", Body: "本文です。", BaseURL: "https://portal.example.jp"}},
		allAccounts, int64(0))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A bulk mail is written as Send would write it, once per facility however often the same
// chunk runs, and the worker sends each exactly once with its own name in it.
func TestSendBulkWritesOneMailPerFacility(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	b := bulkWorld(t, db, 12)
	if n := sendBulk(t, db, b); n != 12 {
		t.Fatalf("wrote %d, want 12", n)
	}
	if n := sendBulk(t, db, b); n != 0 {
		t.Fatalf("the same chunk again wrote %d", n)
	}
	if c := count(t, db, `SELECT count(DISTINCT message_id) FROM mail_outbox WHERE broadcast_id IS NOT NULL AND length(message_id) = 32`); c != 12 {
		t.Errorf("%d distinct 32-digit Message-IDs, want 12", c)
	}
	if c := count(t, db, `SELECT count(*) FROM mail_outbox WHERE body LIKE '%一斉医院%ご担当者様%' AND body NOT LIKE '%`+FacilityNameMarker+`%'`); c != 12 {
		t.Errorf("%d bodies carry their facility's name, want 12", c)
	}
	if _, err := SendBulk(context.Background(), db, Bulk{Template: "broadcast", Data: Broadcast{}}, allAccounts, int64(0)); err == nil {
		t.Error("a bulk mail without its broadcast was written")
	}
	w := testWorker(t, db, srv, &syncBuffer{})
	stop := run(w)
	defer stop()
	deadline := time.Now().Add(wait)
	for len(srv.Messages()) < 12 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		seen[m.To[0]]++
		if m.Subject != "一斉送信の件名" || !strings.Contains(m.Body, "一斉医院") {
			t.Errorf("mail %q: %q", m.Subject, m.Body)
		}
	}
	if len(seen) != 12 {
		t.Errorf("%d recipients, want 12", len(seen))
	}
	for to, n := range seen {
		if n != 1 {
			t.Errorf("%s got %d copies", to, n)
		}
	}
}

// A reset link queued after a quarter of a million broadcast mails (here: five) is the
// next mail out; broadcast mails go one per BulkInterval over every worker; a cancelled
// mail never goes.
func TestTransactionalMailsBeforeBroadcastAndThePace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	b := bulkWorld(t, db, 5)
	sendBulk(t, db, b)
	if _, err := db.Exec(ctx, `UPDATE mail_outbox SET next_attempt_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	enqueueApplied(t, db, "urgent@example.jp", "急ぎ医院")
	w := testWorker(t, db, srv, &syncBuffer{})
	w.BulkInterval = time.Hour
	m, ok, err := w.claim(ctx)
	if err != nil || !ok || m.To != "urgent@example.jp" {
		t.Fatalf("first claim %q %v %v, want the transactional mail", m.To, ok, err)
	}
	m, ok, err = w.claim(ctx)
	if err != nil || !ok || !strings.HasPrefix(m.To, "bulk") {
		t.Fatalf("second claim %q %v %v, want a broadcast mail", m.To, ok, err)
	}
	// A second worker (another instance) is held by the same pace.
	other := testWorker(t, db, srv, &syncBuffer{})
	other.BulkInterval = time.Hour
	_, ok, paced, err := other.nextClaim(ctx)
	if err != nil || ok || paced < 59*time.Minute || paced > time.Hour {
		t.Fatalf("paced claim: ok %v, wait %v, %v; want nothing for about an hour", ok, paced, err)
	}
	// A transactional mail still passes while the pace holds the broadcast.
	enqueueApplied(t, db, "reset@example.jp", "再設定医院")
	if m, ok, err := other.claim(ctx); err != nil || !ok || m.To != "reset@example.jp" {
		t.Fatalf("claim under the pace %q %v %v", m.To, ok, err)
	}
	// Stopped: the rest is cancelled and never claimed, however free the pace.
	if _, err := db.Exec(ctx, `UPDATE mail_outbox SET status = 'cancelled' WHERE broadcast_id = $1 AND status = 'queued'`, b); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, `UPDATE mail_bulk_pace SET next_at = '-infinity'`); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := other.claim(ctx); err != nil || ok {
		t.Fatalf("a cancelled mail was claimed: %v %v", ok, err)
	}
	if c := count(t, db, fmt.Sprintf(`SELECT count(*) FROM mail_outbox WHERE broadcast_id = %d AND status = 'cancelled'`, b)); c != 4 {
		t.Errorf("%d cancelled, want 4", c)
	}
}
