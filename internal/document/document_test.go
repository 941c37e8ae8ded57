package document_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/document"
	"portal/internal/filecheck"
	"portal/internal/jobs"
	"portal/internal/operator"
	"portal/internal/testdb"
)

type world struct {
	db                      *pgxpool.Pool
	svc                     *document.Service
	sv                      int64
	withAcc, other, without int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	q, err := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Options{ForTests: true})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{db: db, svc: document.NewService(db, broadcast.NewService(db, q, "https://portal.example.jp"), "https://portal.example.jp")}
	o, err := operator.Create(ctx, db, operator.NewOperator{Login: "sv", Name: "監督", Role: operator.RoleSupervisor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	w.sv = o.ID
	ids := make([]int64, 3)
	for i, code := range []string{"1000001", "1000002", "1000003"} {
		if err := db.QueryRow(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
			VALUES (13, 1, $1, '診療所', '医院' || $1, '開設者', '1000001', '東京都', '03-0000-0000') RETURNING id`, code).Scan(&ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	w.withAcc, w.other, w.without = ids[0], ids[1], ids[2]
	if _, err := db.Exec(ctx, `INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		SELECT id, 'u' || id || '@example.jp', 'x', name, '開設者', '03-0000-0000', '担当' FROM facilities WHERE id IN ($1, $2)`, w.withAcc, w.other); err != nil {
		t.Fatal(err)
	}
	return w
}

func token(s string) string { return s + strings.Repeat("0", 20) }

func TestSendToOneFacility(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	pdf := filecheck.SamplePDF("notice")
	in := document.Input{Title: "運用開始日のご入力について", File: document.Upload{Filename: "通知.pdf", Data: pdf}, FacilityID: w.withAcc, Token: token("a")}
	rc, err := w.svc.Send(ctx, w.sv, in)
	if err != nil || rc.Recipients != 1 || rc.NoAccount {
		t.Fatalf("send %+v %v", rc, err)
	}
	if again, err := w.svc.Send(ctx, w.sv, in); err != nil || again.DocumentID != rc.DocumentID {
		t.Errorf("the same form twice: %+v %v", again, err)
	}
	var mails int
	if err := w.db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE template = 'document_waiting' AND facility_id = $1`, w.withAcc).Scan(&mails); err != nil || mails != 1 {
		t.Errorf("%d notice mails %v, want 1", mails, err)
	}
	msgs, err := account.MessagesFor(ctx, w.db, w.withAcc, 10)
	if err != nil || len(msgs) != 1 || msgs[0].DocumentID != rc.DocumentID || msgs[0].FileName != "通知.pdf" || !msgs[0].Unread() {
		t.Fatalf("マイページ messages %+v %v", msgs, err)
	}
	// No other facility fetches it, whatever message ID it sends.
	var maxID int64
	_ = w.db.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 5 FROM facility_messages`).Scan(&maxID)
	for id := int64(-1); id <= maxID; id++ {
		if _, err := w.svc.FacilityFile(ctx, w.other, id); !errors.Is(err, document.ErrNotFound) {
			t.Errorf("another facility fetched message %d: %v", id, err)
		}
		if _, err := w.svc.FacilityFile(ctx, 0, id); !errors.Is(err, document.ErrNotFound) {
			t.Errorf("nobody fetched message %d: %v", id, err)
		}
	}
	f, err := w.svc.FacilityFile(ctx, w.withAcc, msgs[0].ID)
	if err != nil || string(f.Data) != string(pdf) || len(f.SHA256) != 32 {
		t.Fatalf("own file: %v", err)
	}
	d, readers, err := w.svc.Get(ctx, rc.DocumentID, 100, 0)
	if err != nil || d.Read != 1 || len(readers) != 1 || readers[0].ReadAt == nil || !readers[0].HasAccount {
		t.Errorf("who read it: %+v %+v %v", d, readers, err)
	}
}

func TestRefusalsAndAFacilityWithoutAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	exe := append([]byte("MZ\x90\x00\x03"), make([]byte, 500)...)
	var invalid *document.InvalidError
	_, err := w.svc.Send(ctx, w.sv, document.Input{Title: "請求書", File: document.Upload{Filename: "請求書.pdf", Data: exe}, FacilityID: w.withAcc, Token: token("b")})
	if !errors.As(err, &invalid) || invalid.Errors["file"] != document.MsgNotPDF {
		t.Errorf("a program renamed .pdf: %v", err)
	}
	_, err = w.svc.Send(ctx, w.sv, document.Input{Title: "大きい", File: document.Upload{Filename: "a.pdf", TooLarge: true}, FacilityID: w.withAcc, Token: token("c")})
	if !errors.As(err, &invalid) || !invalid.Errors.Has("file") {
		t.Errorf("too large: %v", err)
	}
	_, err = w.svc.Send(ctx, w.sv, document.Input{Title: "誰にも", File: document.Upload{Filename: "a.pdf", Data: filecheck.SamplePDF("x")},
		ToAudience: true, Audience: audience.Filter{Prefecture: 1}, Token: token("d")})
	if !errors.As(err, &invalid) || invalid.Errors["audience"] != broadcast.MsgNobody {
		t.Errorf("a set of nobody: %v", err)
	}
	var docs int
	_ = w.db.QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&docs)
	if docs != 0 {
		t.Errorf("%d documents stored by refused sends", docs)
	}
	rc, err := w.svc.Send(ctx, w.sv, document.Input{Title: "登録のご案内", File: document.Upload{Filename: "a.pdf", Data: filecheck.SamplePDF("x")},
		FacilityID: w.without, Token: token("e")})
	if err != nil || !rc.NoAccount || rc.Recipients != 1 {
		t.Fatalf("a facility without an account: %+v %v", rc, err)
	}
	// It waits for the registration: the facility's message exists, no mail was sent.
	if msgs, _ := account.MessagesFor(ctx, w.db, w.without, 10); len(msgs) != 1 {
		t.Errorf("the waiting document: %d messages", len(msgs))
	}
	var mails int
	_ = w.db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox`).Scan(&mails)
	if mails != 0 {
		t.Errorf("%d mails for a facility without an address", mails)
	}
}

func TestSendToASet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	rc, err := w.svc.Send(ctx, w.sv, document.Input{Title: "一斉の文書", File: document.Upload{Filename: "a.pdf", Data: filecheck.SamplePDF("x")},
		ToAudience: true, Audience: audience.Filter{Prefecture: 13}, Token: token("f")})
	if err != nil || rc.Recipients != 2 || rc.BroadcastID == 0 {
		t.Fatalf("send to a set: %+v %v", rc, err)
	}
	// The notice is a broadcast limited to the document's facilities.
	bs := broadcast.NewService(w.db, mustJobs(t, w.db), "https://portal.example.jp")
	if err := bs.EnqueueAll(ctx, rc.BroadcastID); err != nil {
		t.Fatal(err)
	}
	b, err := bs.Get(ctx, rc.BroadcastID)
	if err != nil || b.Enqueued != 2 || b.Template != "document_waiting" {
		t.Errorf("notice broadcast %+v %v", b, err)
	}
}

func mustJobs(t *testing.T, db *pgxpool.Pool) *jobs.Client {
	q, err := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.Options{ForTests: true})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// Regression: the upload form posted twice at once failed the second post on the token's
// unique key (the error page for a document that had been sent); it now gets the first's
// result.
func TestSendTwiceAtOnceAnswersBoth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	pdf := filecheck.SamplePDF("notice")
	in := document.Input{Title: "お知らせ", File: document.Upload{Filename: "a.pdf", Data: pdf}, FacilityID: w.withAcc, Token: token("once")}
	first, err := w.db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = first.Rollback(ctx) }()
	var id int64
	if err := first.QueryRow(ctx, `INSERT INTO documents (title, filename, size, sha256, data, recipients, created_by, token)
		VALUES ('お知らせ', 'a.pdf', $1, sha256($2), $2, 1, $3, $4) RETURNING id`, len(pdf), pdf, w.sv, in.Token).Scan(&id); err != nil {
		t.Fatal(err)
	}
	type result struct {
		rc  document.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		rc, err := w.svc.Send(ctx, w.sv, in)
		done <- result{rc, err}
	}()
	testdb.WaitForLock(t, w.db)
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if r := <-done; r.err != nil || r.rc.DocumentID != id || r.rc.Recipients != 1 {
		t.Fatalf("second post: %+v %v, want document %d", r.rc, r.err, id)
	}
	var n int
	if err := w.db.QueryRow(ctx, `SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM mail_outbox)`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d documents and mails, want the one document (%v)", n, err)
	}
}
