package account_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/encoding/japanese"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/testdb"
)

func insertFacilityAt(t *testing.T, db *pgxpool.Pool, pref, table int, code, name string) account.Facility {
	t.Helper()
	var id int64
	err := db.QueryRow(context.Background(), `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES ($1, $2, $3, '薬局', $4, '開設者', '1000013', '東京都千代田区霞が関1-2-2', '03-0000-0000')
		RETURNING id`, pref, table, code, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var (
	loginIDPattern  = regexp.MustCompile(`^[134][0-9]{7}[0-9]+@[0-9]{2}$`)
	passwordPattern = regexp.MustCompile(`^pa[a-z0-9]{15}$`)
)

func TestIssueLettersSkipsRegisteredAndLiveAndWritesCSV(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	fresh := insertFacilityAt(t, db, 1, 4, "1234567", "サンプル薬局, \"本店\"")
	withAccount := insertFacilityAt(t, db, 13, 1, "7654321", "登録済み診療所")
	withLive := insertFacilityAt(t, db, 13, 3, "1111111", "仮ID発行済み歯科")
	withDeleted := insertFacilityAt(t, db, 47, 1, "2222222", "紛失した診療所")
	if _, err := account.Create(ctx, db, account.NewAccount{FacilityID: withAccount.ID, Email: "x@example.jp", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := account.IssueOne(ctx, db, testKey, withLive.ID, account.KindLetter); err != nil {
		t.Fatal(err)
	}
	old, err := account.IssueOne(ctx, db, testKey, withDeleted.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	var operatorID int64
	if err := db.QueryRow(ctx, `INSERT INTO operators (login, name, role, password_hash) VALUES ('op', 'オペレーター', 'operator', 'x') RETURNING id`).Scan(&operatorID); err != nil {
		t.Fatal(err)
	}
	if err := account.DeleteProvisional(ctx, db, old.CredentialID, operatorID, "案内文書を紛失（電話）"); err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	var progress []int
	res, err := account.IssueLetters(ctx, db, testKey, &buf, account.BatchOptions{ChunkSize: 1, Progress: func(done, total int) {
		if total != 2 {
			t.Errorf("progress total %d, want 2", total)
		}
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Issued != 2 || len(progress) != 2 {
		t.Fatalf("issued %d (progress %v), want 2: the fresh facility and the one whose letter was deleted", res.Issued, progress)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "\r\n") {
		t.Error("CSV lacks the BOM or CRLF line ends Excel needs")
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"都道府県コード", "点数表コード", "医療機関等コード", "医療機関等名称", "郵便番号", "所在地", "仮メールアドレス", "仮パスワード"}
	for i, col := range want {
		if records[0][i] != col {
			t.Errorf("column %d is %q, want %q", i, records[0][i], col)
		}
	}
	if len(records) != 3 {
		t.Fatalf("%d rows, want header + 2", len(records))
	}
	first := records[1]
	if first[0] != "01" || first[1] != "4" || first[2] != "1234567" || first[3] != fresh.Name || first[4] != "100-0013" || first[6] != "412345670@01" {
		t.Errorf("first letter %q", first)
	}
	second := records[2]
	if second[6] != "122222221@47" {
		t.Errorf("reissued login ID %q, want the next issue number 122222221@47", second[6])
	}
	seen := map[string]bool{}
	for _, rec := range records[1:] {
		id, pw := rec[6], rec[7]
		if !loginIDPattern.MatchString(id) || !passwordPattern.MatchString(pw) {
			t.Errorf("letter credentials %q %q do not have the letter's shape", id, pw)
		}
		if seen[id] {
			t.Errorf("login ID %s issued twice", id)
		}
		seen[id] = true
		// The stored secret is a keyed hash, not the password; and the pair signs in.
		var stored []byte
		if err := db.QueryRow(ctx, `SELECT secret_hash FROM provisional_credentials WHERE login_id = $1`, id).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, []byte(pw)) || len(stored) != 32 {
			t.Errorf("stored secret of %s is not a 32-byte HMAC", id)
		}
		p, err := account.SignIn(ctx, db, testKey, id, pw)
		if err != nil || !p.Provisional() {
			t.Errorf("sign in with the letter of %s: %+v %v", id, p, err)
		}
	}

	// Run again: everyone has live credentials now, so nothing is issued.
	buf.Reset()
	if res, err := account.IssueLetters(ctx, db, testKey, &buf, account.BatchOptions{}); err != nil || res.Issued != 0 {
		t.Errorf("second batch: %+v %v, want nothing issued", res, err)
	}
}

func TestIssueLettersCP932(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	insertFacilityAt(t, db, 13, 1, "1234567", "𠮷野家診療所")
	var buf bytes.Buffer
	res, err := account.IssueLetters(ctx, db, testKey, &buf, account.BatchOptions{Encoding: account.CSVCP932})
	if err != nil {
		t.Fatal(err)
	}
	if res.Issued != 1 || res.Replaced != 1 {
		t.Errorf("result %+v, want 1 issued with 1 replaced character row", res)
	}
	text, err := japanese.ShiftJIS.NewDecoder().String(buf.String())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "都道府県コード,") || !strings.Contains(text, "〓野家診療所") {
		t.Errorf("CP932 CSV decodes to %q", text)
	}
}

// Regression: the letters' CSV, opened in Excel by the print vendor, wrote the master's
// free text as it came, so a name, address or founder beginning with = + - @ was read as
// a formula (CSV injection). Those cells now go through jp.Cell like every other export.
func TestIssueLettersKeepsFormulasOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacilityAt(t, db, 13, 1, "1234567", `=HYPERLINK("http://evil.example","薬局")`)
	if _, err := db.Exec(ctx, `UPDATE facilities SET address = '+81 千代田区', founder_name = '@SUM(1,1)' WHERE id = $1`, f.ID); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := account.IssueLetters(ctx, db, testKey, &buf, account.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF"))).ReadAll()
	if err != nil || len(records) != 2 {
		t.Fatalf("CSV %q: %v", buf.String(), err)
	}
	for i, cell := range records[1] {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("%s %q would be a formula", account.LetterColumns[i], cell)
		}
	}
}

func TestIssueLettersFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	insertFacilityAt(t, db, 13, 1, "1234567", "診療所")
	if _, err := account.IssueLetters(ctx, db, testKey, failingWriter{}, account.BatchOptions{}); err == nil {
		t.Fatal("a batch whose CSV cannot be written succeeded")
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM provisional_credentials`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d credentials left after a failed batch (%v); their passwords are lost", n, err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestIssueOneAndDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacilityAt(t, db, 13, 1, "1234567", "診療所")
	l, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindLetter); !errors.Is(err, account.ErrLiveCredential) {
		t.Errorf("second live credential: %v", err)
	}
	if _, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindNotice); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("notice for a facility without account: %v", err)
	}
	got, err := account.LetterData(ctx, db, f.ID)
	if err != nil || got.LoginID != l.LoginID || got.Password != "" || got.Facility.Name != "診療所" || got.PostalCode() != "100-0013" {
		t.Errorf("letter data %+v %v", got, err)
	}
	var op int64
	if err := db.QueryRow(ctx, `INSERT INTO operators (login, name, role, password_hash) VALUES ('op', 'op', 'operator', 'x') RETURNING id`).Scan(&op); err != nil {
		t.Fatal(err)
	}
	if err := account.DeleteProvisional(ctx, db, l.CredentialID, op, " "); err == nil {
		t.Error("deleted without a reason")
	}
	if err := account.DeleteProvisional(ctx, db, l.CredentialID, op, "紛失"); err != nil {
		t.Fatal(err)
	}
	var by int64
	var reason string
	if err := db.QueryRow(ctx, `SELECT deleted_by, delete_reason FROM provisional_credentials WHERE id = $1 AND deleted_at IS NOT NULL`,
		l.CredentialID).Scan(&by, &reason); err != nil || by != op || reason != "紛失" {
		t.Errorf("deletion record: %d %q %v", by, reason, err)
	}
	if err := account.DeleteProvisional(ctx, db, l.CredentialID, op, "again"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if _, err := account.SignIn(ctx, db, testKey, l.LoginID, l.Password); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Errorf("deleted credentials still sign in: %v", err)
	}
	if _, err := account.LetterData(ctx, db, f.ID); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("letter of deleted credentials: %v", err)
	}
}

func TestCompleteProvisionalMakesOneAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacilityAt(t, db, 13, 1, "1234567", "診療所")
	l, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := account.ProvisionalSecretMatches(ctx, db, testKey, l.CredentialID, l.Password); !ok {
		t.Error("the letter's password does not match its credential")
	}
	n := account.NewAccount{FacilityID: f.ID, Email: "clinic@example.jp", PasswordHash: "h",
		Profile: account.Profile{FacilityName: "診療所", FounderName: "開設者", Phone: "03-1234-5678", ContactName: "担当"}}
	complete := func() error {
		return database.WithTx(ctx, db, func(tx pgx.Tx) error {
			_, err := account.CompleteProvisional(ctx, tx, l.CredentialID, n)
			return err
		})
	}
	if err := complete(); err != nil {
		t.Fatal(err)
	}
	if err := complete(); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("second completion: %v, want ErrNotFound", err)
	}
	var count int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&count); err != nil || count != 1 {
		t.Errorf("%d accounts", count)
	}
	if _, err := account.SignIn(ctx, db, testKey, l.LoginID, l.Password); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Errorf("used credentials still sign in: %v", err)
	}

	// A taken address rolls everything back: the credentials stay usable.
	g := insertFacilityAt(t, db, 13, 1, "7654321", "別の診療所")
	l2, err := account.IssueOne(ctx, db, testKey, g.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	n.FacilityID = g.ID
	n.Email = "CLINIC@example.jp"
	err = database.WithTx(ctx, db, func(tx pgx.Tx) error {
		_, err := account.CompleteProvisional(ctx, tx, l2.CredentialID, n)
		return err
	})
	if !errors.Is(err, account.ErrEmailTaken) {
		t.Fatalf("taken address: %v", err)
	}
	if _, err := account.SignIn(ctx, db, testKey, l2.LoginID, l2.Password); err != nil {
		t.Errorf("credentials lost after a refused completion: %v", err)
	}
}

func TestMessagesBelongToTheirFacility(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacilityAt(t, db, 13, 1, "1234567", "診療所")
	g := insertFacilityAt(t, db, 13, 1, "7654321", "別の診療所")
	if _, err := account.SendMessage(ctx, db, f.ID, 0, " ", "本文"); !errors.Is(err, account.ErrMessageInvalid) {
		t.Errorf("empty title: %v", err)
	}
	first, err := account.SendMessage(ctx, db, f.ID, 0, "最初の文書", "本文1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.SendMessage(ctx, db, f.ID, 0, "次の文書", "本文2"); err != nil {
		t.Fatal(err)
	}
	list, err := account.MessagesFor(ctx, db, f.ID, 10)
	if err != nil || len(list) != 2 || list[0].Title != "次の文書" || !list[0].Unread() {
		t.Fatalf("messages %+v %v", list, err)
	}
	if other, _ := account.MessagesFor(ctx, db, g.ID, 10); len(other) != 0 {
		t.Errorf("another facility sees %d messages", len(other))
	}
	if _, err := account.OpenMessage(ctx, db, g.ID, first.ID); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("another facility opened the message: %v", err)
	}
	m, err := account.OpenMessage(ctx, db, f.ID, first.ID)
	if err != nil || m.Unread() || m.Body != "本文1" {
		t.Errorf("open: %+v %v", m, err)
	}
}

func TestNoticeCompletionUpdatesTheExistingAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacilityAt(t, db, 13, 1, "1234567", "診療所")
	a, err := account.Create(ctx, db, account.NewAccount{FacilityID: f.ID, Email: "lost@example.jp", PasswordHash: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindLetter); !errors.Is(err, account.ErrFacilityTaken) {
		t.Errorf("letter for a registered facility: %v", err)
	}
	notice, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindNotice)
	if err != nil {
		t.Fatal(err)
	}
	var got account.Account
	err = database.WithTx(ctx, db, func(tx pgx.Tx) error {
		got, err = account.CompleteProvisional(ctx, tx, notice.CredentialID, account.NewAccount{FacilityID: f.ID, Email: "found@example.jp",
			PasswordHash: "new", Profile: account.Profile{FacilityName: "診療所", FounderName: "開設者", Phone: "03-1234-5678", ContactName: "担当"}})
		return err
	})
	if err != nil || got.ID != a.ID || got.Email != "found@example.jp" || got.SessionVersion <= a.SessionVersion {
		t.Errorf("notice completion: %+v %v", got, err)
	}
}

func TestConcurrentCompletionsMakeOneAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacilityAt(t, db, 13, 1, "1234567", "診療所")
	l, err := account.IssueOne(ctx, db, testKey, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- database.WithTx(ctx, db, func(tx pgx.Tx) error {
				_, err := account.CompleteProvisional(ctx, tx, l.CredentialID, account.NewAccount{FacilityID: f.ID,
					Email: fmt.Sprintf("c%d@example.jp", i), PasswordHash: "h"})
				return err
			})
		}()
	}
	ok := 0
	for range n {
		switch err := <-errs; {
		case err == nil:
			ok++
		case !errors.Is(err, account.ErrNotFound):
			t.Errorf("concurrent completion: %v", err)
		}
	}
	var count int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&count); err != nil || ok != 1 || count != 1 {
		t.Errorf("%d completions succeeded, %d accounts (%v); want one", ok, count, err)
	}
}
