package mail

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/testdb"
)

// samples holds data for every template; a template without a sample fails the test, so
// whoever adds a template also shows it renders.
var samples = map[string]struct {
	data    any
	subject string
	lines   []string
}{
	"cardreader_applied": {
		data:    CardReaderApplied{FacilityName: "テスト医院", ReferenceNumber: "CR-2026-000123", BaseURL: "https://portal.example.jp"},
		subject: "顔認証付きカードリーダー申込完了のお知らせ",
		lines: []string{
			"◆◆—————◆◆", "顔認証付きカードリーダー申込完了のご案内", "テスト医院 ご担当者様",
			"顔認証付きカードリーダーの申込ありがとうございます。",
			"顔認証付きカードリーダーを申し込まれただけでは、", "オンライン資格確認は導入できません。",
			"CR-2026-000123", "https://portal.example.jp/login",
		},
	},
}

func TestEveryTemplateRenders(t *testing.T) {
	t.Parallel()
	if len(Templates()) == 0 {
		t.Fatal("no templates")
	}
	for _, name := range Templates() {
		s, ok := samples[name]
		if !ok {
			t.Errorf("template %s has no sample in render_test.go", name)
			continue
		}
		subject, body, err := Render(name, s.data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if subject != s.subject {
			t.Errorf("%s: subject %q, want %q", name, subject, s.subject)
		}
		for _, l := range append(s.lines, "医療機関等向けポータルサイト", "0800-080-4583") {
			if !strings.Contains(body, l) {
				t.Errorf("%s: body lacks %q:\n%s", name, l, body)
			}
		}
		if strings.Contains(body, "<no value>") || strings.HasPrefix(body, "\n") || !strings.HasSuffix(body, "\n") {
			t.Errorf("%s: badly shaped body:\n%q", name, body)
		}
	}
}

func TestRenderRefusesMissingData(t *testing.T) {
	t.Parallel()
	if _, _, err := Render("cardreader_applied", map[string]string{"FacilityName": "x"}); err == nil {
		t.Error("map without ReferenceNumber rendered")
	}
	type wrong struct{ FacilityName string }
	if _, _, err := Render("cardreader_applied", wrong{"x"}); err == nil {
		t.Error("struct without ReferenceNumber rendered")
	}
	if _, _, err := Render("no_such_template", nil); err == nil {
		t.Error("unknown template rendered")
	}
}

func TestTemplateFormatIsChecked(t *testing.T) {
	t.Parallel()
	bad := map[string]string{
		"no subject":    "こんにちは\n\n本文\n",
		"no blank line": "Subject: 件名\n本文\n",
		"empty subject": "Subject: \n\n本文\n",
		"broken action": "Subject: 件名\n\n{{.Name\n",
		"empty body":    "Subject: 件名\n\n\n",
	}
	for what, src := range bad {
		fsys := fstest.MapFS{"templates/x.txt": {Data: []byte(src)}, "templates/_footer.txt": {Data: []byte(`{{define "footer"}}f{{end}}`)}}
		if _, err := parseTemplates(fsys); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	good := fstest.MapFS{"templates/x.txt": {Data: []byte("Subject: 件名 {{.A}}\r\n\r\n本文 {{.A}}\r\n{{template \"footer\" .}}")}, "templates/_footer.txt": {Data: []byte(`{{define "footer"}}フッター{{end}}`)}}
	m, err := parseTemplates(good)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m["_footer"]; ok || len(m) != 1 {
		t.Errorf("partials counted as messages: %v", m)
	}
}

func TestSubjectMustStayOneLine(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"templates/x.txt": {Data: []byte("Subject: 件名 {{.A}}\n\n本文\n")}}
	m, err := parseTemplates(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := m["x"].render("x", map[string]string{"A": "a\nBcc: evil@example.com"}); err == nil {
		t.Error("subject with a line break rendered")
	}
	if s, _, err := m["x"].render("x", map[string]string{"A": "a"}); err != nil || s != "件名 a" {
		t.Errorf("got %q, %v", s, err)
	}
}

func TestEnqueueBelongsToTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	data := CardReaderApplied{FacilityName: "テスト薬局", ReferenceNumber: "R-1", BaseURL: "http://x"}

	errBoom := errors.New("boom")
	err := database.WithTx(ctx, db, func(tx pgx.Tx) error {
		if err := Enqueue(ctx, tx, "a@example.jp", "cardreader_applied", data); err != nil {
			return err
		}
		return errBoom // the change fails after the mail was queued
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("got %v", err)
	}
	if n := count(t, db, "SELECT count(*) FROM mail_outbox"); n != 0 {
		t.Fatalf("rolled-back change left %d mails", n)
	}

	err = database.WithTx(ctx, db, func(tx pgx.Tx) error {
		return Enqueue(ctx, tx, "b@example.jp", "cardreader_applied", data)
	})
	if err != nil {
		t.Fatal(err)
	}
	var to, subject, body, status, msgID string
	if err := db.QueryRow(ctx, "SELECT to_addr, subject, body, status, message_id FROM mail_outbox").Scan(&to, &subject, &body, &status, &msgID); err != nil {
		t.Fatal(err)
	}
	if to != "b@example.jp" || subject != "顔認証付きカードリーダー申込完了のお知らせ" || status != StatusQueued ||
		!strings.Contains(body, "テスト薬局") || len(msgID) != 32 {
		t.Errorf("stored %q %q %q %q %q", to, subject, status, msgID, body)
	}
}

func TestEnqueueRefusesBadInput(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	data := CardReaderApplied{FacilityName: "x", ReferenceNumber: "1", BaseURL: "u"}
	for _, to := range []string{"", "no-at-sign", "a@example.jp\r\nBcc: b@example.jp", "山田 <a@example.jp>", "a@example.jp, b@example.jp"} {
		if err := Enqueue(ctx, db, to, "cardreader_applied", data); !errors.Is(err, ErrBadAddress) {
			t.Errorf("address %q: got %v", to, err)
		}
	}
	if err := Enqueue(ctx, db, "a@example.jp", "cardreader_applied", struct{ FacilityName string }{"x"}); err == nil {
		t.Error("missing data accepted")
	}
	if n := count(t, db, "SELECT count(*) FROM mail_outbox"); n != 0 {
		t.Errorf("%d mails queued from bad input", n)
	}
}

func count(t *testing.T, db database.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEnqueueCleansHostileData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	data := CardReaderApplied{FacilityName: "悪意\x00医院\x1b[31m\xff\xfe<script>", ReferenceNumber: "R\r-1", BaseURL: "http://x"}
	if err := Enqueue(ctx, db, "h@example.jp", "cardreader_applied", data); err != nil {
		t.Fatalf("hostile data refused by the database: %v", err)
	}
	var body string
	if err := db.QueryRow(ctx, "SELECT body FROM mail_outbox").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "悪意医院[31m\uFFFD<script> ご担当者様") || !strings.Contains(body, "R-1") ||
		strings.ContainsAny(body, "\x00\x1b\r") {
		t.Errorf("body %q", body)
	}
}
