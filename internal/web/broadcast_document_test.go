package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/internal/broadcast"
	"portal/internal/config"
	"portal/internal/filecheck"
	"portal/internal/operator"
	"portal/internal/webtest"
)

var hiddenToken = regexp.MustCompile(`name="token" value="([0-9a-f]{32})"`)

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBroadcastToAFilteredSetOnceEach(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	// Three clinics in Tokyo (13) and a pharmacy; the filter picks the clinics.
	for _, code := range []string{"1000001", "1000002", "1000003"} {
		crFacility(t, env, "診療所", 1, code, false)
	}
	seedAccount(t, env, seedFacility(t, env, 27, 4, "2000001", "大阪薬局"), "osaka@example.jp", "Passw0rd123")
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	sv := operatorClient(t, env, "sv", "Supervisor1234")
	sv.Get("/admin/broadcasts/new")

	nobody := url.Values{"subject": {"お知らせ"}, "body": {"本文"}, "pref": {"1"}}
	if res := sv.PostForm("/admin/broadcasts/new", nobody); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, broadcast.MsgNobody) {
		t.Fatalf("nobody: %d\n%s", res.Status, short(res.Body))
	}
	v := url.Values{"subject": {"システム停止のお知らせ"}, "body": {"12月1日は停止します。"}, "pref": {"13"}, "kind": {"診療所"}, "state": {"cardreader_none"}}
	res := sv.PostForm("/admin/broadcasts/new", v)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "3件") || !strings.Contains(res.Body, "（医療機関等名） ご担当者様") {
		t.Fatalf("confirm: %d\n%s", res.Status, short(res.Body))
	}
	v.Set("token", hiddenToken.FindStringSubmatch(res.Body)[1])
	res = sv.PostForm("/admin/broadcasts/send", v)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", res.Status, short(res.Body))
	}
	if again := sv.PostForm("/admin/broadcasts/send", v); again.Location != res.Location {
		t.Errorf("the confirm page posted twice went to %s, want %s", again.Location, res.Location)
	}
	waitFor(t, "three broadcast mails", func() bool {
		n := 0
		for _, m := range env.Mails(t) {
			if m.Subject == "システム停止のお知らせ" {
				n++
			}
		}
		return n >= 3
	})
	time.Sleep(300 * time.Millisecond) // a fourth would have come by now
	seen := map[string]int{}
	for _, m := range env.Mails(t) {
		if m.Subject == "システム停止のお知らせ" {
			seen[m.To[0]]++
		}
	}
	for _, code := range []string{"1000001", "1000002", "1000003"} {
		if seen[code+"@example.jp"] != 1 {
			t.Errorf("%s got %d copies", code, seen[code+"@example.jp"])
		}
	}
	if seen["osaka@example.jp"] != 0 || len(seen) != 3 {
		t.Errorf("recipients %v", seen)
	}
	page := sv.Get(res.Location)
	if !strings.Contains(page.Body, "送信完了") || !strings.Contains(page.Body, `<td class="sent-count">3</td>`) {
		t.Errorf("progress page:\n%s", short(page.Body))
	}
}

func TestBroadcastStoppedPartWay(t *testing.T) {
	t.Parallel()
	env := webtest.New(t, func(c *config.Config) { c.BroadcastRate = 0.5 }) // one mail per 2 s
	for _, code := range []string{"1000001", "1000002", "1000003", "1000004", "1000005"} {
		crFacility(t, env, "診療所", 1, code, false)
	}
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	sv := operatorClient(t, env, "sv", "Supervisor1234")
	sv.Get("/admin/broadcasts/new")
	v := url.Values{"subject": {"停止するお知らせ"}, "body": {"本文"}}
	res := sv.PostForm("/admin/broadcasts/new", v)
	v.Set("token", hiddenToken.FindStringSubmatch(res.Body)[1])
	res = sv.PostForm("/admin/broadcasts/send", v)
	waitFor(t, "the first mail", func() bool { return len(env.Mails(t)) >= 1 })
	id := strings.TrimPrefix(res.Location, "/admin/broadcasts/")
	if res := sv.PostForm("/admin/broadcasts/"+id+"/stop", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("stop: %d", res.Status)
	}
	time.Sleep(2500 * time.Millisecond) // the pace would have let the next one go
	if n := len(env.Mails(t)); n >= 5 {
		t.Errorf("%d mails after stopping", n)
	}
	if n := countRows(t, env, `SELECT count(*) FROM mail_outbox WHERE status = 'cancelled'`); n == 0 {
		t.Error("nothing cancelled")
	}
	if page := sv.Get("/admin/broadcasts/" + id); !strings.Contains(page.Body, "停止") || strings.Contains(page.Body, "送信を停止する</button>") {
		t.Errorf("stopped broadcast page:\n%s", short(page.Body))
	}
}

func TestDocumentsReachOnlyTheirFacility(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	fa, accA, ca := crFacility(t, env, "診療所", 1, "1000001", false)
	_, _, cb := crFacility(t, env, "診療所", 1, "1000002", false)
	noAccount := seedFacility(t, env, 13, 4, "1000003", "未登録薬局")
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	sv := operatorClient(t, env, "sv", "Supervisor1234")

	form := func(facility int64) url.Values {
		page := sv.Get(fmt.Sprintf("/admin/documents/new?facility=%d", facility))
		return url.Values{"token": {hiddenToken.FindStringSubmatch(page.Body)[1]}, "to": {"facility"},
			"facility_id": {fmt.Sprint(facility)}, "title": {"運用開始日のご入力について"}}
	}
	exe := append([]byte("MZ\x90\x00\x03"), bytes.Repeat([]byte{0}, 300)...)
	res := postMultipart(t, sv, "/admin/documents/new", form(fa.ID), "file", "請求書.pdf", exe)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "PDFファイルではありません") {
		t.Fatalf("exe as .pdf: %d\n%s", res.Status, short(res.Body))
	}
	res = postMultipart(t, sv, "/admin/documents/new", form(noAccount.ID), "file", "登録のご案内.pdf", filecheck.SamplePDF("x"))
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "まだアカウント登録をしていません") {
		t.Fatalf("facility without an account: %d\n%s", res.Status, short(res.Body))
	}
	pdf := filecheck.SamplePDF("notice")
	res = postMultipart(t, sv, "/admin/documents/new", form(fa.ID), "file", "通知.pdf", pdf)
	if res.Status != http.StatusOK {
		t.Fatalf("send: %d\n%s", res.Status, short(res.Body))
	}
	m := env.WaitMail(t, accA.Email, "個別文書のお知らせ")
	if !strings.Contains(m.Body, "運用開始日のご入力について") {
		t.Errorf("notice mail:\n%s", m.Body)
	}
	my := ca.Get("/mypage")
	if !strings.Contains(my.Body, "運用開始日のご入力について") || !strings.Contains(my.Body, "未読") {
		t.Fatalf("A's マイページ:\n%s", short(my.Body))
	}
	if strings.Contains(cb.Get("/mypage").Body, "運用開始日のご入力について") {
		t.Error("B's マイページ shows A's document")
	}
	var maxID int64
	_ = env.DB.QueryRow(context.Background(), `SELECT max(id) + 3 FROM facility_messages`).Scan(&maxID)
	for id := int64(0); id <= maxID; id++ {
		for _, p := range []string{"/mypage/messages/%d", "/mypage/messages/%d/file"} {
			if res := cb.Get(fmt.Sprintf(p, id)); res.Status != http.StatusNotFound {
				t.Errorf("B GET %s: %d", fmt.Sprintf(p, id), res.Status)
			}
		}
	}
	var msgID int64
	_ = env.DB.QueryRow(context.Background(), `SELECT id FROM facility_messages WHERE facility_id = $1`, fa.ID).Scan(&msgID)
	file := ca.Get(fmt.Sprintf("/mypage/messages/%d/file", msgID))
	if file.Status != http.StatusOK || file.Body != string(pdf) || file.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(file.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("A's file: %d %v", file.Status, file.Header)
	}
	var docID int64
	_ = env.DB.QueryRow(context.Background(), `SELECT document_id FROM facility_messages WHERE id = $1`, msgID).Scan(&docID)
	if page := sv.Get(fmt.Sprintf("/admin/documents/%d", docID)); !strings.Contains(page.Body, `<span class="read-count">1</span>`) || !strings.Contains(page.Body, "既読") {
		t.Errorf("who read it:\n%s", short(page.Body))
	}
}

func TestCatalogManagementShowsOnTheSite(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	crCatalog(t, env)
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	sv := operatorClient(t, env, "sv", "Supervisor1234")
	sv.Get("/admin/catalog/new")
	res := sv.PostForm("/admin/catalog/new", url.Values{"maker": {"新メーカー株式会社"}, "product": {"NEW-100"}, "size": {"W120×D150×H250mm"},
		"maker_url": {"https://example.jp/new"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", res.Status, short(res.Body))
	}
	if page := env.Client(t).Get("/catalog"); !strings.Contains(page.Body, "NEW-100") || !strings.Contains(page.Body, "W120×D150×H250mm") {
		t.Fatal("the new product is not on /catalog")
	}
	var id int64
	_ = env.DB.QueryRow(context.Background(), `SELECT id FROM card_reader_models WHERE product = 'NEW-100'`).Scan(&id)
	if res := sv.PostForm(fmt.Sprintf("/admin/catalog/%d/visibility", id), url.Values{"shown": {"0"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.Status)
	}
	if page := env.Client(t).Get("/catalog"); strings.Contains(page.Body, "NEW-100") {
		t.Error("a hidden product is on /catalog")
	}
	if res := sv.PostForm("/admin/catalog/new", url.Values{"maker": {"x"}, "product": {"y"}, "maker_url": {"javascript:alert(1)"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("javascript URL: %d", res.Status)
	}
}

// The operators' upload forms read a large body only from an operator's session: a visitor
// or a facility posting 3 MiB there is refused by the general limit before anything parses
// it, while an operator's 3 MiB reaches the form (and its own checks); the public inquiry
// form keeps its raised limit for everyone.
func TestOperatorUploadLimitNeedsAnOperator(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	_, _, facility := crFacility(t, env, "診療所", 1, "1000001", false)
	visitor := env.Client(t)
	visitor.Get("/inquiry") // its CSRF cookie and token
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	sv := operatorClient(t, env, "sv", "Supervisor1234")
	big := bytes.Repeat([]byte("x"), 3<<20)
	for _, p := range []string{"/admin/documents/new", "/admin/batches/upload"} {
		for who, c := range map[string]*webtest.Client{"visitor": visitor, "facility": facility} {
			if res := postMultipart(t, c, p, url.Values{"title": {"x"}}, "file", "a.pdf", big); res.Status != http.StatusRequestEntityTooLarge {
				t.Errorf("%s posting 3 MiB to %s: %d, want 413", who, p, res.Status)
			}
		}
	}
	res := postMultipart(t, sv, "/admin/documents/new", url.Values{"to": {"facility"}, "title": {"x"}}, "file", "a.pdf", big)
	if res.Status == http.StatusRequestEntityTooLarge || !strings.Contains(res.Body, "PDFファイルではありません") {
		t.Errorf("operator posting 3 MiB to /admin/documents/new: %d\n%s", res.Status, short(res.Body))
	}
	if res := postMultipart(t, visitor, "/inquiry", url.Values{"subject": {"x"}}, "file", "a.txt", big); res.Status == http.StatusRequestEntityTooLarge {
		t.Errorf("visitor posting a 3 MiB attachment to /inquiry: 413")
	}
}
