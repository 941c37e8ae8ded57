package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
	"portal/internal/mail"
	"portal/internal/operator"
	"portal/internal/outbox"
	"portal/internal/smtptest"
	"portal/internal/testdb"
)

// setup returns a database with an operator, a facility and one sent mail about it.
func setup(t *testing.T) (db *pgxpool.Pool, operatorID, facilityID, mailID int64) {
	t.Helper()
	ctx := context.Background()
	db = testdb.New(t)
	o, err := operator.Create(ctx, db, operator.NewOperator{Login: "sato", Name: "佐藤", Role: operator.RoleOperator, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES (13, 4, '1234567', '薬局', 'みなと薬局', '医療法人テスト会', '1000013', '東京都千代田区霞が関1-2-2', '03-1234-5678')
		RETURNING id`).Scan(&facilityID); err != nil {
		t.Fatal(err)
	}
	mailID, err = mail.Send(ctx, db, mail.Message{To: "minato@example.jp", Template: "cardreader_applied", FacilityID: facilityID,
		Data: mail.CardReaderApplied{FacilityName: "みなと薬局", ReferenceNumber: "CR-7", BaseURL: "https://portal.example.jp"}})
	if err != nil {
		t.Fatal(err)
	}
	setStatus(t, db, mailID, mail.StatusSent)
	return db, o.ID, facilityID, mailID
}

func setStatus(t *testing.T, db *pgxpool.Pool, id int64, status string) {
	t.Helper()
	if _, err := db.Exec(context.Background(), `UPDATE mail_outbox SET status = $2, attempts = 15,
		last_error = CASE WHEN $2 = 'failed' THEN '451 4.3.0 mailbox busy' END,
		sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE id = $1`, id, status); err != nil {
		t.Fatal(err)
	}
}

func audit(t *testing.T, db *pgxpool.Pool) []operator.AuditEntry {
	t.Helper()
	entries, err := operator.AuditEntries(context.Background(), db, operator.AuditQuery{TargetType: outbox.TargetMail})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestRetryAFailedMail: the failed mail goes back to the queue with a fresh attempt budget,
// the operator's step is in the audit trail, and a worker then delivers it.
func TestRetryAFailedMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, op, facility, id := setup(t)
	setStatus(t, db, id, mail.StatusFailed)

	if err := outbox.Retry(ctx, db, op, id); err != nil {
		t.Fatal(err)
	}
	m, err := mail.Get(ctx, db, id)
	if err != nil || m.Status != mail.StatusQueued || m.Attempts != 0 {
		t.Fatalf("after retry: %+v %v", m, err)
	}
	entries := audit(t, db)
	if len(entries) != 1 || entries[0].Action != outbox.ActionRetry || entries[0].OperatorID != op || entries[0].TargetID != id {
		t.Fatalf("audit %+v", entries)
	}
	var detail map[string]any
	if err := json.Unmarshal(entries[0].Detail, &detail); err != nil || detail["facility_id"] != float64(facility) || detail["template"] != "cardreader_applied" {
		t.Errorf("detail %s", entries[0].Detail)
	}

	// Retried twice (two operators at once): the second finds it no longer failed.
	if err := outbox.Retry(ctx, db, op, id); !errors.Is(err, mail.ErrNotFailed) {
		t.Errorf("second retry: %v", err)
	}
	if n := len(audit(t, db)); n != 1 {
		t.Errorf("%d audit entries after a refused retry", n)
	}

	srv := smtptest.Start(t)
	w, err := mail.NewWorker(&config.Config{MailFrom: "no-reply@portal.example.jp",
		SMTP: config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "none"}}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce %d %v", n, err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "minato@example.jp" {
		t.Fatalf("delivered %v", got)
	}
	if m, _ := mail.Get(ctx, db, id); m.Status != mail.StatusSent || m.Attempts != 1 || m.LastError != "" {
		t.Errorf("after delivery: %+v", m)
	}
}

// TestResendASentMail: a new outbox row with the same content, linked to the original,
// with its own Message-ID, audited; the original's record is untouched.
func TestResendASentMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, op, facility, id := setup(t)

	newID, err := outbox.Resend(ctx, db, op, id)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := mail.Get(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := mail.Get(ctx, db, newID)
	if err != nil {
		t.Fatal(err)
	}
	if newID == id || cp.ResentFrom != id || cp.Status != mail.StatusQueued || cp.Attempts != 0 ||
		cp.To != orig.To || cp.Subject != orig.Subject || cp.Body != orig.Body || cp.Template != orig.Template ||
		cp.FacilityID != facility || cp.MessageID == orig.MessageID {
		t.Errorf("copy %+v of %+v", cp, orig)
	}
	if orig.Status != mail.StatusSent || len(orig.Resends) != 1 || orig.Resends[0] != newID {
		t.Errorf("original %+v", orig)
	}
	entries := audit(t, db)
	if len(entries) != 1 || entries[0].Action != outbox.ActionResend || entries[0].OperatorID != op || entries[0].TargetID != id {
		t.Fatalf("audit %+v", entries)
	}
	var detail map[string]any
	if err := json.Unmarshal(entries[0].Detail, &detail); err != nil || detail["new_mail_id"] != float64(newID) {
		t.Errorf("detail %s", entries[0].Detail)
	}

	// While the copy is on its way, another 再送 (a double click) queues nothing.
	if _, err := outbox.Resend(ctx, db, op, id); !errors.Is(err, mail.ErrCopyPending) {
		t.Errorf("second resend: %v", err)
	}
	// Once it is sent, the mail may be resent again.
	setStatus(t, db, newID, mail.StatusSent)
	if _, err := outbox.Resend(ctx, db, op, id); err != nil {
		t.Errorf("resend after the copy went out: %v", err)
	}
	if n := len(audit(t, db)); n != 2 {
		t.Errorf("%d audit entries", n)
	}
}

// TestResendAtOnceQueuesOneCopy: two operators press 再送 at the same moment.
func TestResendAtOnceQueuesOneCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, op, _, id := setup(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = outbox.Resend(ctx, db, op, id)
		}()
	}
	wg.Wait()
	ok, pending := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, mail.ErrCopyPending):
			pending++
		default:
			t.Errorf("resend: %v", err)
		}
	}
	if ok != 1 || pending != 1 {
		t.Errorf("%d copies, %d refused", ok, pending)
	}
}

func TestStepsRefuseTheWrongMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, op, _, id := setup(t)
	if err := outbox.Retry(ctx, db, op, id); !errors.Is(err, mail.ErrNotFailed) {
		t.Errorf("retry of a sent mail: %v", err)
	}
	setStatus(t, db, id, mail.StatusFailed)
	if _, err := outbox.Resend(ctx, db, op, id); !errors.Is(err, mail.ErrNotSent) {
		t.Errorf("resend of a failed mail: %v", err)
	}
	if err := outbox.Retry(ctx, db, op, 999999); !errors.Is(err, mail.ErrNoMail) {
		t.Errorf("retry of no mail: %v", err)
	}
	if _, err := outbox.Resend(ctx, db, op, -1); !errors.Is(err, mail.ErrNoMail) {
		t.Errorf("resend of no mail: %v", err)
	}
	if err := outbox.Retry(ctx, db, 0, id); !errors.Is(err, outbox.ErrNoOperator) {
		t.Errorf("retry without an operator: %v", err)
	}
	if n := len(audit(t, db)); n != 0 {
		t.Errorf("%d audit entries for refused steps", n)
	}
	if n, err := mail.List(ctx, db, mail.ListQuery{}); err != nil || n.Count != 1 {
		t.Errorf("mails: %d %v", n.Count, err)
	}
}

// Regression: the mail page showed every operator the live single-use links of a facility's
// mails, so an operator could send パスワード再設定 from the facility page, open the mail in
// メール送信状況 and set the facility's password. The page now shows where each link led
// but not its token; the stored mail keeps it, so 再送 still sends a working link.
func TestDetailHidesSingleUseLinks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, op, facility, _ := setup(t)
	const token = "Zx9_secret-Token0123456789abcdefghijklmnopq"
	links := map[string]any{
		"password_reset_url": mail.PasswordResetURL{FacilityName: "みなと薬局",
			URL: "https://portal.example.jp/password/reset/verify?token=" + token, ExpiresAt: "x", BaseURL: "https://portal.example.jp"},
		"register_url": mail.RegistrationURL{URL: "https://portal.example.jp/register/verify?token=" + token, ExpiresAt: "x",
			BaseURL: "https://portal.example.jp"},
		"email_change_url": mail.EmailChangeURL{FacilityName: "みなと薬局", NewEmail: "new@example.jp",
			URL: "https://portal.example.jp/account/email/confirm?token=" + token, ExpiresAt: "x"},
	}
	svc := outbox.NewService(db)
	for template, data := range links {
		id, err := mail.Send(ctx, db, mail.Message{To: "minato@example.jp", Template: template, FacilityID: facility, Data: data})
		if err != nil {
			t.Fatal(err)
		}
		setStatus(t, db, id, mail.StatusSent)
		d, err := svc.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(d.Body, token) || !strings.Contains(d.Body, "?token=") {
			t.Errorf("%s as operators see it:\n%s", template, d.Body)
		}
		copyID, err := svc.Resend(ctx, operator.Operator{ID: op}, id)
		if err != nil {
			t.Fatal(err)
		}
		if stored, err := mail.Get(ctx, db, copyID); err != nil || !strings.Contains(stored.Body, "?token="+token+"\n") {
			t.Errorf("%s resent without its link: %v\n%s", template, err, stored.Body)
		}
	}
}
