package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"portal/internal/config"
	"portal/internal/smtptest"
	"portal/internal/testdb"
)

// The tests of issue 10 item 4, "mail is sent once".

// outboxRow is the stored state of the only mail.
type outboxRow struct {
	status, messageID, reply, lastError string
	attempts                            int
}

func readRow(t *testing.T, w *Worker) outboxRow {
	t.Helper()
	var r outboxRow
	err := w.DB.QueryRow(context.Background(), `SELECT status, message_id, coalesce(smtp_reply, ''), coalesce(last_error, ''), attempts
		FROM mail_outbox`).Scan(&r.status, &r.messageID, &r.reply, &r.lastError, &r.attempts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAcceptedThenDroppedAtQuitIsSentOnce: the server answers 250 to the final dot and then
// drops the connection at QUIT. The mail is delivered, so it is recorded sent after one
// attempt and never sent again (the old worker sent it up to 15 times).
func TestAcceptedThenDroppedAtQuitIsSentOnce(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	srv.Inject(smtptest.DropAtQuit, -1) // every session
	logs := &syncBuffer{}
	w := testWorker(t, db, srv, logs)
	stop := run(w)
	defer stop()

	enqueueApplied(t, db, "quit@example.jp", "切断医院")
	waitRow(t, db, "recorded sent", func(s string, _ int) bool { return s != StatusQueued && s != StatusSending })
	stop()
	r := readRow(t, w)
	if r.status != StatusSent || r.attempts != 1 || !strings.HasPrefix(r.reply, "250 ") || r.lastError != "" {
		t.Errorf("row %+v, want sent after one attempt with the server's 250", r)
	}
	if n, m := len(srv.Received()), len(srv.Messages()); n != 1 || m != 1 {
		t.Errorf("received %d, accepted %d: want exactly one delivery", n, m)
	}
	if !strings.Contains(logs.String(), "mail accepted; the session failed afterwards") {
		t.Errorf("the failed QUIT is not logged:\n%s", logs.String())
	}
}

// TestDroppedBeforeReplyIsRetriedWithTheSameMessageID: the server reads the mail but drops
// the connection before answering the final dot. Nothing says it was accepted, so the
// worker tries again, with the same Message-ID, so that a server that did keep the first
// copy can drop the second.
func TestDroppedBeforeReplyIsRetriedWithTheSameMessageID(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	srv.Inject(smtptest.DropBeforeReply, 1) // the first attempt only
	w := testWorker(t, db, srv, &syncBuffer{})
	stop := run(w)
	defer stop()

	enqueueApplied(t, db, "retry@example.jp", "再試行医院")
	waitRow(t, db, "sent on the second attempt", func(s string, _ int) bool { return s == StatusSent })
	stop()
	r := readRow(t, w)
	if r.attempts != 2 {
		t.Errorf("attempts %d, want 2", r.attempts)
	}
	got := srv.Received()
	if len(got) != 2 || len(srv.Messages()) != 1 {
		t.Fatalf("received %d, accepted %d: want two attempts, one accepted", len(got), len(srv.Messages()))
	}
	want := "<" + r.messageID + "@portal.example.jp>"
	for i, m := range got {
		if id := m.Header.Get("Message-Id"); id != want {
			t.Errorf("attempt %d sent Message-ID %q, want %q (the stored one)", i+1, id, want)
		}
	}
}

// TestKilledWorkersClaimIsTakenAfterTheLease: a worker claims the mail and is killed before
// it sends (simulated: it claims and never finishes). Once its short lease is over another
// worker sends the mail, once, with the same Message-ID.
func TestKilledWorkersClaimIsTakenAfterTheLease(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	enqueueApplied(t, db, "killed@example.jp", "強制終了医院")
	var storedID string
	if err := db.QueryRow(context.Background(), "SELECT message_id FROM mail_outbox").Scan(&storedID); err != nil {
		t.Fatal(err)
	}

	killed := testWorker(t, db, srv, &syncBuffer{})
	killed.Lease = 300 * time.Millisecond
	if _, ok, err := killed.claim(context.Background()); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}

	survivor := testWorker(t, db, srv, &syncBuffer{})
	survivor.Lease = 300 * time.Millisecond
	stop := run(survivor)
	defer stop()
	m := srv.WaitFor(t, func(m smtptest.Message) bool { return m.To[0] == "killed@example.jp" }, wait)
	waitRow(t, db, "marked sent", func(s string, _ int) bool { return s == StatusSent })
	stop()
	if r := readRow(t, survivor); r.attempts != 2 {
		t.Errorf("attempts %d, want 2 (the killed claim and the delivery)", r.attempts)
	}
	if n := len(srv.Received()); n != 1 {
		t.Errorf("%d deliveries", n)
	}
	if got := m.Header.Get("Message-Id"); got != "<"+storedID+"@portal.example.jp>" {
		t.Errorf("Message-ID %q, stored %q", got, storedID)
	}
}

// TestLeaseIsAboutAMinuteAndBoundsTheSend: the production lease, and a send time-out held
// under it whatever SendTimeout says.
func TestLeaseIsAboutAMinuteAndBoundsTheSend(t *testing.T) {
	t.Parallel()
	w, err := NewWorker(&config.Config{MailFrom: "a@portal.example.jp", SMTP: config.SMTP{Host: "h", Port: 25, TLS: "none"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.Lease != time.Minute {
		t.Errorf("lease %v, want a minute", w.Lease)
	}
	if d := w.sendTimeout(); d > w.Lease/2 || d <= 0 {
		t.Errorf("send time-out %v under a %v lease", d, w.Lease)
	}
	w.SendTimeout = time.Hour
	if d := w.sendTimeout(); d != w.Lease/2 {
		t.Errorf("send time-out %v: a slow server could outlive the %v lease", d, w.Lease)
	}
}

// TestStalledServerCannotOutliveTheLease: a server that never answers the final dot. The
// sender's own step time-out is long (30 s, as in production), but the delivery ends by the
// worker's deadline, so the attempt is recorded as failed before the lease is over and no
// other worker can have taken the mail meanwhile.
func TestStalledServerCannotOutliveTheLease(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	srv := smtptest.Start(t)
	srv.Inject(smtptest.Stall, -1)
	w := testWorker(t, db, srv, &syncBuffer{})
	w.Sender.(*SMTPSender).Timeout = 30 * time.Second
	w.Lease = 10 * time.Second
	w.SendTimeout = time.Minute                        // held to Lease/2
	w.BaseBackoff, w.MaxBackoff = time.Hour, time.Hour // one attempt in this round

	enqueueApplied(t, db, "stall@example.jp", "無応答医院")
	start := time.Now()
	if n, err := w.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce: %d %v", n, err)
	}
	if took := time.Since(start); took >= w.Lease {
		t.Errorf("the delivery took %v, longer than its %v lease", took, w.Lease)
	}
	r := readRow(t, w)
	if r.status != StatusQueued || r.attempts != 1 || r.lastError == "" {
		t.Errorf("row %+v, want queued for a retry with the failure", r)
	}
	if len(srv.Received()) != 1 || len(srv.Messages()) != 0 {
		t.Errorf("received %d accepted %d", len(srv.Received()), len(srv.Messages()))
	}
}

// TestCatcherStoresAndMarksInOneTransaction: the development catcher keeps a mail only
// together with marking its row sent; when the worker's claim has been taken over it keeps
// nothing and changes nothing.
func TestCatcherStoresAndMarksInOneTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	c, err := NewCatcher(db, "no-reply@portal.localhost")
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{DB: db, Sender: c, Lease: time.Minute, SendTimeout: time.Second, BatchSize: 1, MaxAttempts: 3,
		BaseBackoff: time.Second, MaxBackoff: time.Second}
	enqueueApplied(t, db, "dev@example.jp", "開発医院")
	m, ok, err := w.claim(ctx)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// Another worker took the mail over after this claim's lease.
	if _, err := db.Exec(ctx, "UPDATE mail_outbox SET lease_token = gen_random_uuid()"); err != nil {
		t.Fatal(err)
	}
	if d, err := c.Send(ctx, m.Outgoing); err == nil || d.Accepted || !errors.Is(err, errLeaseLost) {
		t.Fatalf("stale claim delivered: %+v %v", d, err)
	}
	if n := count(t, db, "SELECT count(*) FROM mail_catcher"); n != 0 {
		t.Errorf("%d mails caught under a lost claim", n)
	}
	if n := count(t, db, "SELECT count(*) FROM mail_outbox WHERE status = 'sending'"); n != 1 {
		t.Errorf("the other worker's claim was changed")
	}

	// With its claim intact, the mail is caught and marked together.
	if _, err := db.Exec(ctx, "UPDATE mail_outbox SET next_attempt_at = now() - interval '1 second'"); err != nil {
		t.Fatal(err)
	}
	if m, ok, err = w.claim(ctx); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if d, err := c.Send(ctx, m.Outgoing); err != nil || !d.Accepted {
		t.Fatalf("send: %+v %v", d, err)
	}
	if n := count(t, db, "SELECT count(*) FROM mail_catcher c JOIN mail_outbox o ON o.id = c.outbox_id WHERE o.status = 'sent' AND o.smtp_reply <> ''"); n != 1 {
		t.Errorf("caught and marked: %d", n)
	}
}

func TestFailureKindNamesTheDrop(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t)
	s, err := NewSMTPSender(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}, "no-reply@portal.example.jp")
	if err != nil {
		t.Fatal(err)
	}
	m := Outgoing{ID: 1, MessageID: "k", To: "a@example.jp", Subject: "件名", Body: "本文\n"}
	srv.Inject(smtptest.DropAtQuit, 1)
	d, err := s.Send(context.Background(), m)
	if err == nil || !d.Accepted {
		t.Fatalf("drop at QUIT: %+v %v", d, err)
	}
	if k := failureKind(err); k != "connection closed by the server" {
		t.Errorf("drop at QUIT logged as %q (%v)", k, err)
	}
	srv.Inject(smtptest.DropBeforeReply, 1)
	if d, err := s.Send(context.Background(), m); err == nil || d.Accepted {
		t.Fatalf("drop before the reply: %+v %v", d, err)
	}
}
