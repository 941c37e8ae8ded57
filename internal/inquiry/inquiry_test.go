package inquiry_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/filecheck"
	"portal/internal/inquiry"
	"portal/internal/listing"
	"portal/internal/operator"
	"portal/internal/ratelimit"
	"portal/internal/testdb"
)

var key = []byte("test-secret-test-secret-test-secret-0123")

type world struct {
	db               *pgxpool.Pool
	svc              *inquiry.Service
	now              time.Time
	facA, facB, accA int64
	op, op2          int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	w := &world{db: db, svc: inquiry.NewService(db, ratelimit.New(db, key), key, "https://portal.example.jp")}
	// 23:30 UTC is 08:30 the next day in Japan.
	w.now = time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC)
	w.svc.Now = func() time.Time { return w.now }
	for i, code := range []string{"1234567", "7654321"} {
		var id int64
		if err := db.QueryRow(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
			VALUES (13, 1, $1, '診療所', $2, '開設者', '1000001', '東京都千代田区', '03-0000-0000') RETURNING id`, code, []string{"丸の内クリニック", "上野医院"}[i]).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.facA = id
		} else {
			w.facB = id
		}
	}
	if err := db.QueryRow(ctx, `INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		VALUES ($1, 'a@example.jp', 'x', '丸の内クリニック', '開設者', '03-0000-0000', '担当') RETURNING id`, w.facA).Scan(&w.accA); err != nil {
		t.Fatal(err)
	}
	for i, login := range []string{"op1", "op2"} {
		o, err := operator.Create(ctx, db, operator.NewOperator{Login: login, Name: []string{"山田", "佐藤"}[i], Role: operator.RoleOperator, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.op = o.ID
		} else {
			w.op2 = o.ID
		}
	}
	return w
}

// form is a valid visitor's form shown 10 s before now.
func (w *world) form(email string) inquiry.Input {
	return inquiry.Input{Category: inquiry.Categories[0], Name: "山田 花子", Email: email, Phone: "03-1234-5678",
		Question: "ログインできません。", Token: inquiry.NewFormToken(key, w.now.Add(-10*time.Second))}
}

func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSubmitKeepsProgramsOutAndMakesOneCase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	in := w.form("visitor@example.jp")

	fast := in
	fast.Token = inquiry.NewFormToken(key, w.now.Add(-time.Second))
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, fast, "203.0.113.1"); !errors.Is(err, inquiry.ErrTooFast) {
		t.Errorf("sent a second after showing: %v", err)
	}
	old := in
	old.Token = inquiry.NewFormToken(key, w.now.Add(-25*time.Hour))
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, old, "203.0.113.1"); !errors.Is(err, inquiry.ErrTokenExpired) {
		t.Errorf("a day-old form: %v", err)
	}
	forged := in
	forged.Token = strings.Replace(in.Token, ".", ".1", 1)
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, forged, "203.0.113.1"); !errors.Is(err, inquiry.ErrTokenInvalid) {
		t.Errorf("forged token: %v", err)
	}
	spam := in
	spam.Honeypot = "http://spam.example/"
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, spam, "203.0.113.1"); !errors.Is(err, inquiry.ErrSpam) {
		t.Errorf("honeypot filled: %v", err)
	}

	rc, err := w.svc.Submit(ctx, inquiry.Sender{}, in, "203.0.113.1")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^IQ261201-\d{6}$`).MatchString(rc.Reference) || rc.Repeated {
		t.Errorf("receipt %+v: want IQ261201-NNNNNN, the JST date", rc)
	}
	again, err := w.svc.Submit(ctx, inquiry.Sender{}, in, "203.0.113.1")
	if err != nil || again.Reference != rc.Reference || !again.Repeated {
		t.Errorf("the same form again: %+v %v", again, err)
	}
	if n := w.count(t, `SELECT count(*) FROM inquiries`); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM mail_outbox WHERE template = 'inquiry_received' AND to_addr = 'visitor@example.jp'`); n != 1 {
		t.Errorf("%d receipt mails, want 1", n)
	}
	// A visitor's typed code never links the case to a facility.
	coded := w.form("coded@example.jp")
	coded.FacilityCode = "1311234567"
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, coded, "203.0.113.2"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM inquiries WHERE facility_id IS NOT NULL`); n != 0 {
		t.Errorf("a visitor's code linked %d cases", n)
	}
}

func TestSubmitRefusesWithReasonsAndLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	long := w.form("long@example.jp")
	long.Question = strings.Repeat("あ", 100000)
	long.FacilityCode = "12-34"
	long.Phone = "0312345678x"
	_, err := w.svc.Submit(ctx, inquiry.Sender{}, long, "203.0.113.1")
	var invalid *inquiry.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("100,000 characters: %v", err)
	}
	if msg := invalid.Errors["question"]; !strings.Contains(msg, "10,000文字以内") || !strings.Contains(msg, "現在100,000文字") {
		t.Errorf("question message %q", msg)
	}
	for _, f := range []string{"facility_code", "phone"} {
		if !invalid.Errors.Has(f) {
			t.Errorf("no error for %s", f)
		}
	}
	exe := w.form("exe@example.jp")
	exe.Attachment = inquiry.Upload{Filename: "invoice.pdf", Data: append([]byte("MZ\x90\x00"), make([]byte, 200)...)}
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, exe, "203.0.113.1"); !errors.As(err, &invalid) || !invalid.Errors.Has("attachment") {
		t.Errorf("a program renamed .pdf: %v", err)
	}
	pdf := w.form("pdf@example.jp")
	pdf.Attachment = inquiry.Upload{Filename: "../画面.PDF", Data: filecheck.SamplePDF("screen")}
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, pdf, "203.0.113.1"); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM inquiry_attachments WHERE filename = '画面.pdf' AND content_type = 'application/pdf'
		AND sha256 = sha256(data)`); n != 1 {
		t.Errorf("attachment stored %d times with name and checksum, want 1", n)
	}
	// Five per reply address an hour, then a refusal that says when to come back.
	for i := 0; i < 5; i++ {
		if _, err := w.svc.Submit(ctx, inquiry.Sender{}, w.form("many@example.jp"), "198.51.100.1"); err != nil && i < 5 {
			t.Fatalf("inquiry %d: %v", i+1, err)
		}
	}
	var ex *ratelimit.Exceeded
	if _, err := w.svc.Submit(ctx, inquiry.Sender{}, w.form("MANY@example.jp"), "198.51.100.2"); !errors.As(err, &ex) || ex.Limit.Name != ratelimit.InquiryPerAddress.Name {
		t.Errorf("sixth to one address: %v", err)
	}
}

func TestThreadAnswersRepliesAndNotes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	in := w.form("a@example.jp")
	in.FacilityCode = "0000000" // ignored for a signed-in facility
	rc, err := w.svc.Submit(ctx, inquiry.Sender{FacilityID: w.facA, AccountID: w.accA, FacilityCode: "1311234567"}, in, "203.0.113.1")
	if err != nil {
		t.Fatal(err)
	}
	page, err := w.svc.List(ctx, inquiry.Filter{Reference: strings.ToLower(rc.Reference)}, listing.Request{Limit: 10})
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("find by reference: %v %v", page.Rows, err)
	}
	c := page.Rows[0]
	if c.FacilityID != w.facA || c.GivenCode != "1311234567" || c.Status != inquiry.New {
		t.Errorf("case %+v", c)
	}
	tok := inquiry.NewStepToken()
	if err := w.svc.Answer(ctx, w.op, c.ID, "ご確認ください。", tok); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Answer(ctx, w.op, c.ID, "ご確認ください。", tok); err != nil {
		t.Fatal(err) // a double click
	}
	if n := w.count(t, `SELECT count(*) FROM mail_outbox WHERE template = 'inquiry_answered'`); n != 1 {
		t.Errorf("%d answer mails, want 1", n)
	}
	if err := w.svc.Note(ctx, w.op, c.ID, "折り返し電話済み（内部）", inquiry.NewStepToken()); err != nil {
		t.Fatal(err)
	}
	// Another facility sees nothing of it and cannot reply.
	if _, err := w.svc.FacilityCase(ctx, w.facB, c.ID); !errors.Is(err, inquiry.ErrNotFound) {
		t.Errorf("another facility: %v", err)
	}
	if err := w.svc.Reply(ctx, w.facB, c.ID, "横から", inquiry.NewStepToken()); !errors.Is(err, inquiry.ErrNotFound) {
		t.Errorf("another facility's reply: %v", err)
	}
	own, err := w.svc.FacilityCase(ctx, w.facA, c.ID)
	if err != nil || own.Status != inquiry.Answered {
		t.Fatalf("own case %+v %v", own.Inquiry, err)
	}
	for _, m := range own.Thread {
		if m.Internal() || strings.Contains(m.Body, "内部") {
			t.Errorf("the facility sees an internal entry: %+v", m)
		}
	}
	if err := w.svc.Reply(ctx, w.facA, c.ID, "解決しませんでした。", inquiry.NewStepToken()); err != nil {
		t.Fatal(err)
	}
	if x, _ := w.svc.Case(ctx, c.ID); x.Status != inquiry.InProgress || len(x.Thread) != 4 {
		t.Errorf("after the reply: %s, %d entries", x.Status, len(x.Thread))
	}
	// Closed: the operator is told to reopen first, the facility that it is closed.
	if err := w.svc.Act(ctx, w.op, c.ID, inquiry.ActClose); err != nil {
		t.Fatal(err)
	}
	var closed *inquiry.ClosedError
	if err := w.svc.Answer(ctx, w.op, c.ID, "追加の回答", inquiry.NewStepToken()); !errors.As(err, &closed) || closed.Message != inquiry.MsgClosedAnswer {
		t.Errorf("answering a closed case: %v", err)
	}
	if err := w.svc.Reply(ctx, w.facA, c.ID, "まだです", inquiry.NewStepToken()); !errors.As(err, &closed) {
		t.Errorf("replying to a closed case: %v", err)
	}
	if err := w.svc.Act(ctx, w.op, c.ID, inquiry.ActClose); !errors.Is(err, inquiry.ErrNotAllowed) {
		t.Errorf("closing twice: %v", err)
	}
	if err := w.svc.Act(ctx, w.op, c.ID, inquiry.ActReopen); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Answer(ctx, w.op, c.ID, "追加の回答", inquiry.NewStepToken()); err != nil {
		t.Errorf("answer after reopening: %v", err)
	}
	if err := w.svc.Update(ctx, w.op, c.ID, w.op2, inquiry.PriorityHigh); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Update(ctx, w.op, c.ID, 999999, inquiry.PriorityHigh); err == nil {
		t.Error("an unknown assignee was accepted")
	}
	x, _ := w.svc.Case(ctx, c.ID)
	if x.AssigneeName != "佐藤" || x.PriorityLabel() != "高" {
		t.Errorf("assignee %q priority %q", x.AssigneeName, x.PriorityLabel())
	}
}

func TestPhoneCaseTemplatesSearchAndCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	tok := inquiry.NewStepToken()
	in := inquiry.PhoneCase{FacilityID: w.facB, Category: inquiry.Categories[1], Name: "上野 太郎", Phone: "03-1111-2222",
		Question: "カードリーダーの配送日を知りたい。", Priority: inquiry.PriorityNormal}
	id, err := w.svc.OpenForCaller(ctx, w.op, in, tok)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := w.svc.OpenForCaller(ctx, w.op, in, tok); err != nil || again != id {
		t.Errorf("the same form twice: %d %v, want %d", again, err, id)
	}
	x, err := w.svc.Case(ctx, id)
	if err != nil || x.Channel != inquiry.ChannelPhone || x.AssigneeID != w.op || x.Status != inquiry.InProgress || x.FacilityName != "上野医院" {
		t.Fatalf("phone case %+v %v", x.Inquiry, err)
	}
	// Answered on the phone: no mail (no address), recorded as the answer, shown to the facility.
	if err := w.svc.Answer(ctx, w.op, id, "12月3日の予定です。", inquiry.NewStepToken()); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, `SELECT count(*) FROM mail_outbox`); n != 0 {
		t.Errorf("%d mails for a case without an address", n)
	}
	if own, _ := w.svc.FacilityCase(ctx, w.facB, id); len(own.Thread) != 2 {
		t.Errorf("the facility sees %d entries, want the question and the answer", len(own.Thread))
	}

	tid, err := w.svc.SaveTemplate(ctx, w.op, inquiry.Template{Title: "配送日", Body: "{{施設名}}（{{医療機関等コード}}）様\n配送日は…"})
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := w.svc.Template(ctx, tid)
	if got := tpl.Fill(x.Inquiry); got != "上野医院（1317654321）様\n配送日は…" {
		t.Errorf("filled template %q", got)
	}
	if _, err := w.svc.SaveTemplate(ctx, w.op, inquiry.Template{Title: "配送日", Body: "x"}); err == nil {
		t.Error("a second template of one name")
	}

	for q, want := range map[string]int{"1317654321": 1, "7654321": 1, "医院": 1, "クリニック": 1, "%": 0, "": 0} {
		hits, err := w.svc.SearchFacilities(ctx, q)
		if err != nil || len(hits) != want {
			t.Errorf("search %q: %d hits %v, want %d", q, len(hits), err, want)
		}
	}
	counts, err := w.svc.Counts(ctx)
	if err != nil || len(counts) != 4 || counts[2].Status != inquiry.Answered || counts[2].Count != 1 || counts[0].Count != 0 {
		t.Errorf("counts %+v %v", counts, err)
	}
	if err := w.svc.LinkFacility(ctx, w.op, id, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.FacilityCase(ctx, w.facB, id); !errors.Is(err, inquiry.ErrNotFound) {
		t.Errorf("unlinked case still on the facility's page: %v", err)
	}
}

// Regression: the phone caller's form posted twice at once failed the second post on the
// form token's unique key (the error page for a case that had been opened); it now gets
// the first's case.
func TestOpenForCallerTwiceAtOnceAnswersBoth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	tok := inquiry.NewStepToken()
	first, err := w.db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = first.Rollback(ctx) }()
	var id int64
	if err := first.QueryRow(ctx, `INSERT INTO inquiries (reference, channel, category, name, form_token)
		VALUES ('IQ-FIRST', 'phone', $1, '上野 太郎', $2) RETURNING id`, inquiry.Categories[1], "phone:"+tok).Scan(&id); err != nil {
		t.Fatal(err)
	}
	type result struct {
		id  int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		again, err := w.svc.OpenForCaller(ctx, w.op, inquiry.PhoneCase{FacilityID: w.facB, Category: inquiry.Categories[1],
			Name: "上野 太郎", Phone: "03-1111-2222", Question: "配送日を知りたい。", Priority: inquiry.PriorityNormal}, tok)
		done <- result{again, err}
	}()
	testdb.WaitForLock(t, w.db)
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if r := <-done; r.err != nil || r.id != id {
		t.Fatalf("second post: %d %v, want %d", r.id, r.err, id)
	}
	if n := w.count(t, `SELECT count(*) FROM inquiries`); n != 1 {
		t.Errorf("%d cases", n)
	}
}
