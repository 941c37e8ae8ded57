package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
	"portal/internal/database"
	"portal/internal/smtptest"
	"portal/internal/testdb"
)

// wait is how long a test waits for something that normally takes milliseconds.
const wait = 20 * time.Second

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testWorker is a worker with fast polls and retries, talking SMTP to srv.
func testWorker(t *testing.T, db *pgxpool.Pool, srv *smtptest.Server, logs *syncBuffer) *Worker {
	t.Helper()
	cfg := &config.Config{
		MailFrom: "医療機関等向けポータルサイト <no-reply@portal.example.jp>",
		SMTP:     config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"},
	}
	w, err := NewWorker(cfg, db, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	w.PollInterval = 20 * time.Millisecond
	w.BaseBackoff = 10 * time.Millisecond
	w.MaxBackoff = 50 * time.Millisecond
	w.SendTimeout = 5 * time.Second
	return w
}

// run starts w and returns a function that stops it and waits until Run has returned.
func run(w *Worker) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

func enqueueApplied(t *testing.T, db *pgxpool.Pool, to, facility string) {
	t.Helper()
	err := database.WithTx(context.Background(), db, func(tx pgx.Tx) error {
		return Enqueue(context.Background(), tx, to, "cardreader_applied",
			CardReaderApplied{FacilityName: facility, ReferenceNumber: "CR-0001", BaseURL: "https://portal.example.jp"})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitRow polls the outbox until cond holds for the only mail, or fails after wait.
func waitRow(t *testing.T, db *pgxpool.Pool, what string, cond func(status string, attempts int) bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	var status string
	var attempts int
	for time.Now().Before(deadline) {
		if err := db.QueryRow(context.Background(), "SELECT status, attempts FROM mail_outbox").Scan(&status, &attempts); err != nil {
			t.Fatal(err)
		}
		if cond(status, attempts) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: still status=%s attempts=%d", what, status, attempts)
}

func TestWorkerDeliversOverSMTP(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	logs := &syncBuffer{}
	stop := run(testWorker(t, db, srv, logs))
	defer stop()

	enqueueApplied(t, db, "clinic@example.jp", "みなと内科クリニック")
	m := srv.WaitFor(t, func(m smtptest.Message) bool { return len(m.To) == 1 && m.To[0] == "clinic@example.jp" }, wait)

	if m.Subject != "顔認証付きカードリーダー申込完了のお知らせ" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, l := range []string{"◆◆—————◆◆", "顔認証付きカードリーダー申込完了のご案内", "みなと内科クリニック ご担当者様", "0800-080-4583"} {
		if !strings.Contains(m.Body, l) {
			t.Errorf("body lacks %q:\n%s", l, m.Body)
		}
	}
	if !strings.HasPrefix(m.Body, "◆◆—————◆◆\n") {
		t.Errorf("body does not start with the seed's banner:\n%s", m.Body)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != SenderName || from[0].Address != "no-reply@portal.example.jp" {
		t.Errorf("From %v %v", from, err)
	}
	if ct := m.Header.Get("Content-Type"); !strings.Contains(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	var msgID string
	if err := db.QueryRow(context.Background(), "SELECT message_id FROM mail_outbox").Scan(&msgID); err != nil {
		t.Fatal(err)
	}
	if got := m.Header.Get("Message-Id"); got != "<"+msgID+"@portal.example.jp>" {
		t.Errorf("Message-ID %q, stored %q", got, msgID)
	}
	waitRow(t, db, "marked sent", func(s string, a int) bool { return s == StatusSent && a == 1 })
	stop()
	if l := logs.String(); strings.Contains(l, "example.jp") || strings.Contains(l, "みなと") || strings.Contains(l, "申込") {
		t.Errorf("log reveals the mail:\n%s", l)
	}
	if !strings.Contains(logs.String(), `"mail_id"`) {
		t.Errorf("log lacks the mail id:\n%s", logs.String())
	}
}

// TestSMTPOutage is the promise of the outbox: while SMTP is down the change still
// commits, the worker keeps retrying, and the mail arrives exactly once when SMTP returns.
func TestSMTPOutage(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	srv.Stop()
	logs := &syncBuffer{}
	stop := run(testWorker(t, db, srv, logs))
	defer stop()

	ctx := context.Background()
	err := database.WithTx(ctx, db, func(tx pgx.Tx) error {
		// The change that causes the mail, in the same transaction.
		if _, err := tx.Exec(ctx, `INSERT INTO news (title, body, publish_at) VALUES ('お知らせ', '本文', now())`); err != nil {
			return err
		}
		return Enqueue(ctx, tx, "down@example.jp", "cardreader_applied",
			CardReaderApplied{FacilityName: "停電薬局", ReferenceNumber: "CR-0002", BaseURL: "https://portal.example.jp"})
	})
	if err != nil {
		t.Fatalf("the change must succeed while SMTP is down: %v", err)
	}
	waitRow(t, db, "retrying", func(s string, a int) bool { return s == StatusQueued && a >= 3 })
	var lastErr string
	if err := db.QueryRow(ctx, "SELECT coalesce(last_error, '') FROM mail_outbox").Scan(&lastErr); err != nil || lastErr == "" {
		t.Errorf("last_error %q %v", lastErr, err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages while down", n)
	}

	srv.Restart(t)
	srv.WaitFor(t, func(m smtptest.Message) bool { return strings.Contains(m.Body, "停電薬局") }, wait)
	waitRow(t, db, "sent after the outage", func(s string, a int) bool { return s == StatusSent })
	stop()
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("delivered %d times, want exactly once", n)
	}
	if l := logs.String(); strings.Contains(l, "down@example.jp") || strings.Contains(l, "停電薬局") {
		t.Errorf("log reveals the mail:\n%s", l)
	}
	if l := logs.String(); !strings.Contains(l, `"reason":"connect"`) {
		t.Errorf("log does not say why:\n%s", l)
	}
}

func TestFailedAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	srv.RejectAll(true) // up, but answering 451
	logs := &syncBuffer{}
	w := testWorker(t, db, srv, logs)
	w.MaxAttempts = 3
	stop := run(w)
	defer stop()

	enqueueApplied(t, db, "never@example.jp", "失敗医院")
	waitRow(t, db, "given up", func(s string, a int) bool { return s == StatusFailed })
	stop()
	var attempts int
	var lastErr string
	if err := db.QueryRow(context.Background(), "SELECT attempts, last_error FROM mail_outbox").Scan(&attempts, &lastErr); err != nil {
		t.Fatal(err)
	}
	if attempts != 3 || !strings.Contains(lastErr, "451") {
		t.Errorf("attempts %d, last_error %q", attempts, lastErr)
	}
	if l := logs.String(); !strings.Contains(l, "smtp temporary error 451") || !strings.Contains(l, `"status":"failed"`) ||
		strings.Contains(l, "never@example.jp") {
		t.Errorf("log:\n%s", l)
	}

	// It is listed among the failed mails with the server's answer.
	page, err := List(context.Background(), db, ListQuery{Filter: Filter{Status: StatusFailed}})
	if err != nil || page.Count != 1 || len(page.Mails) != 1 || !strings.Contains(page.Mails[0].LastError, "451") {
		t.Fatalf("list failed: %+v %v", page, err)
	}
}

// TestTwoWorkersNeverSendTwice runs two workers, each with its own connection pool as two
// serve processes would have, over many mails.
func TestTwoWorkersNeverSendTwice(t *testing.T) {
	t.Parallel()
	db, url := testdb.NewWithURL(t)
	db2, err := database.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db2.Close)
	srv := smtptest.Start(t)
	const n = 60
	for i := range n {
		enqueueApplied(t, db, fmt.Sprintf("user%02d@example.jp", i), fmt.Sprintf("施設%02d", i))
	}
	w1, w2 := testWorker(t, db, srv, &syncBuffer{}), testWorker(t, db2, srv, &syncBuffer{})
	w1.BatchSize, w2.BatchSize = 4, 4
	stop1, stop2 := run(w1), run(w2)

	deadline := time.Now().Add(wait)
	for len(srv.Messages()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	waitSent := time.Now().Add(wait)
	for count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'sent'") < n && time.Now().Before(waitSent) {
		time.Sleep(10 * time.Millisecond)
	}
	stop1()
	stop2()
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		for _, to := range m.To {
			seen[to]++
		}
	}
	for i := range n {
		to := fmt.Sprintf("user%02d@example.jp", i)
		if seen[to] != 1 {
			t.Errorf("%s received %d times", to, seen[to])
		}
	}
	if got := len(srv.Messages()); got != n {
		t.Errorf("%d messages for %d mails", got, n)
	}
	if c := count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'sent' AND attempts = 1"); c != n {
		t.Errorf("%d of %d mails sent on the first attempt", c, n)
	}
}

// blockingSender wraps the real SMTP sender and holds the first mail until released, so the
// test can end the worker's context while a mail is in hand.
type blockingSender struct {
	Sender
	inHand  chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingSender) Send(ctx context.Context, m Outgoing) (Delivery, error) {
	first := false
	b.once.Do(func() { first = true })
	if first {
		close(b.inHand)
		<-b.release
	}
	return b.Sender.Send(ctx, m)
}

func TestShutdownFinishesTheMailInHand(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	for i := range 3 {
		enqueueApplied(t, db, fmt.Sprintf("s%d@example.jp", i), "終了医院")
	}
	w := testWorker(t, db, srv, &syncBuffer{})
	bs := &blockingSender{Sender: w.Sender, inHand: make(chan struct{}), release: make(chan struct{})}
	w.Sender = bs
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	<-bs.inHand
	cancel()
	close(bs.release)
	<-done

	if got := len(srv.Messages()); got != 1 {
		t.Fatalf("%d mails sent, want the one in hand", got)
	}
	if c := count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'sent'"); c != 1 {
		t.Errorf("%d marked sent", c)
	}
	// The rest were never claimed: still queued, due and unpenalised.
	if c := count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'queued' AND attempts = 0 AND next_attempt_at <= now()"); c != 2 {
		t.Errorf("%d left queued", c)
	}
}

func TestCatcherWhenNoSMTP(t *testing.T) {
	t.Parallel()
	if !testdb.Embedded() {
		t.Skip("the catcher runs only on the embedded development database; DATABASE_URL is set")
	}
	db := testdb.New(t)
	cfg := &config.Config{MailFrom: "no-reply@portal.localhost", BaseURL: "http://127.0.0.1:8080", ListenHost: "127.0.0.1",
		EmbeddedDatabase: true}
	// On a shared database the catcher would take every instance's mails: no worker.
	shared := *cfg
	shared.EmbeddedDatabase = false
	if _, err := NewWorker(&shared, db, slog.New(slog.NewTextHandler(&syncBuffer{}, nil))); err == nil {
		t.Fatal("catcher started on a shared database")
	}
	w, err := NewWorker(cfg, db, slog.New(slog.NewTextHandler(&syncBuffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := w.Sender.(*Catcher); !ok {
		t.Fatalf("sender %T without SMTP", w.Sender)
	}
	enqueueApplied(t, db, "dev@example.jp", "開発クリニック")
	if n, err := w.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce: %d %v", n, err)
	}
	list, total, err := ListCaught(context.Background(), db, 10, 0)
	if err != nil || total != 1 || len(list) != 1 {
		t.Fatalf("caught %v %d %v", list, total, err)
	}
	m := list[0]
	if m.To != "dev@example.jp" || m.Subject != "顔認証付きカードリーダー申込完了のお知らせ" ||
		!strings.Contains(m.Body, "開発クリニック") || m.From != SenderName+" <no-reply@portal.localhost>" ||
		!strings.HasSuffix(m.MessageID, "@portal.localhost>") {
		t.Errorf("caught %+v", m)
	}
	if c := count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'sent'"); c != 1 {
		t.Errorf("outbox not marked sent")
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	w := &Worker{BaseBackoff: time.Second, MaxBackoff: time.Minute}
	prev := time.Duration(0)
	for a := 1; a <= 4; a++ {
		d := w.backoff(a)
		want := time.Second << (a - 1)
		if d < want*8/10 || d > want*12/10 || d <= prev {
			t.Errorf("attempt %d: %v", a, d)
		}
		prev = d
	}
	if d := w.backoff(40); d > time.Minute*12/10 || d < time.Minute*8/10 {
		t.Errorf("cap: %v", d)
	}
}

// TestCrashedWorkersMailComesBack: a worker that claimed a mail and died leaves it
// 'sending'; no other worker touches it until the lease runs out, then one delivers it.
func TestCrashedWorkersMailComesBack(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	enqueueApplied(t, db, "crash@example.jp", "再起動医院")
	crashed := testWorker(t, db, srv, &syncBuffer{})
	if _, ok, err := crashed.claim(context.Background()); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// …and it dies here, before sending.
	other := testWorker(t, db, srv, &syncBuffer{})
	if n, err := other.RunOnce(context.Background()); n != 0 || err != nil {
		t.Fatalf("leased mail taken by another worker: %d %v", n, err)
	}
	if c := count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'sending' AND attempts = 1"); c != 1 {
		t.Fatalf("claimed mail not shown as sending")
	}
	if _, err := db.Exec(context.Background(), "UPDATE mail_outbox SET next_attempt_at = now() - interval '1 second'"); err != nil {
		t.Fatal(err) // the lease runs out
	}
	if n, err := other.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("expired lease: %d %v", n, err)
	}
	srv.WaitFor(t, func(m smtptest.Message) bool { return m.To[0] == "crash@example.jp" }, wait)
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages", n)
	}
}
