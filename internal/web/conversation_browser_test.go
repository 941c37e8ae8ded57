package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/filecheck"
	"portal/internal/inquiry"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// browserOperatorSignIn signs the tab in to the back office. Every browser test of the
// conversation signs operators in through it, so a second factor added later changes
// one place.
func browserOperatorSignIn(t *testing.T, tab context.Context, env *webtest.Env, login, plain string) {
	t.Helper()
	adminBrowserLogin(t, tab, env, login, plain)
}

// clickThrough clicks sel and waits until the page it leads to has loaded.
func clickThrough(t *testing.T, tab context.Context, step, sel string) {
	t.Helper()
	if _, err := chromedp.RunResponse(tab, chromedp.Click(sel)); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// TestBrowserInquiryConversation: a visitor and a signed-in clinic send inquiries; an
// operator answers the clinic with a template; the clinic reads the answer on マイページ
// and replies; an operator opens a case for a phone caller.
func TestBrowserInquiryConversation(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	env.Services.Inquiries.MinFillTime = 0
	f, acc, _ := crFacility(t, env, "診療所", 1, "5000001", false)
	op := adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	if _, err := env.Services.Inquiries.SaveTemplate(context.Background(), op.ID, inquiry.Template{Title: "ログインできない",
		Body: "{{施設名}}（{{医療機関等コード}}）ご担当者様\nパスワードの再設定をお試しください。"}); err != nil {
		t.Fatal(err)
	}
	visitor := browsertest.Tab(t, 120*time.Second)
	browsertest.Run(t, visitor, "the visitor finds the form in the header",
		chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(`.site-nav a[href="/inquiry"]`),
		chromedp.Click(`.site-nav a[href="/inquiry"]`), chromedp.WaitVisible(`#question`))
	browsertest.Run(t, visitor, "the visitor sends a question",
		chromedp.SetValue(`#category`, inquiry.Categories[5]),
		chromedp.SendKeys(`#name`, "訪問 一郎"), chromedp.SendKeys(`#email`, "visitor@example.jp"),
		chromedp.SendKeys(`#question`, "開設予定の診療所です。登録はいつからできますか。"),
		chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`.inquiry-reference`))
	ref := browsertest.Get(t, visitor, "visitor's 問い合わせ番号", chromedp.Text(`.inquiry-reference`))
	if m := env.WaitMail(t, "visitor@example.jp", "お問い合わせ受付のお知らせ"); !strings.Contains(m.Body, ref) {
		t.Errorf("receipt mail without %s", ref)
	}

	clinic := browsertest.Tab(t, 120*time.Second)
	crBrowserLogin(t, clinic, env, acc.Email)
	browsertest.Run(t, clinic, "the clinic opens the form, filled in",
		chromedp.Navigate(env.URL+"/inquiry"), chromedp.WaitVisible(`#question`))
	if email := browsertest.Get(t, clinic, "pre-filled address", chromedp.Value(`#email`)); email != acc.Email {
		t.Errorf("address %q, want %q", email, acc.Email)
	}
	browsertest.Run(t, clinic, "the clinic sends a question",
		chromedp.SetValue(`#category`, inquiry.Categories[0]),
		chromedp.SendKeys(`#question`, "ログインできなくなりました。"),
		chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`.inquiry-reference`))
	clinicRef := browsertest.Get(t, clinic, "clinic's 問い合わせ番号", chromedp.Text(`.inquiry-reference`))

	staff := browsertest.Tab(t, 120*time.Second)
	browserOperatorSignIn(t, staff, env, "op", "Operator1234")
	browsertest.Run(t, staff, "the operator opens the clinic's case from the inbox",
		chromedp.Navigate(env.URL+"/admin/inquiries?status="+string(inquiry.New)), chromedp.WaitVisible(`main table`),
		chromedp.Click(fmt.Sprintf(`//a[text()=%q]`, clinicRef)), chromedp.WaitVisible(`#answer`))
	clickThrough(t, staff, "the operator answers with the template", `form[aria-label="回答テンプレート"] button[type=submit]`)
	answer := browsertest.Get(t, staff, "the answer", chromedp.Value(`#answer`))
	if !strings.Contains(answer, f.Name+"（"+f.TenDigitCode()+"）ご担当者様") {
		t.Errorf("the template was not filled in: %q", answer)
	}
	browsertest.Run(t, staff, "send the answer",
		chromedp.Click(`form[action$="/answer"] button[type=submit]`), chromedp.WaitVisible(`.flash`))
	if m := env.WaitMail(t, acc.Email, "お問い合わせへの回答"); !strings.Contains(m.Body, "パスワードの再設定をお試しください。") {
		t.Errorf("answer mail:\n%s", m.Body)
	}

	browsertest.Run(t, clinic, "the clinic reads the answer on マイページ",
		chromedp.Navigate(env.URL+"/mypage"), chromedp.WaitVisible(`#inquiries-title`),
		chromedp.Click(`main a[href^="/mypage/inquiries/"]`), chromedp.WaitVisible(`.thread__item--answer`))
	if got := browsertest.Get(t, clinic, "the answer", chromedp.Text(`.thread__item--answer`)); !strings.Contains(got, "パスワードの再設定") {
		t.Errorf("answer on マイページ: %q", got)
	}
	browsertest.Run(t, clinic, "the clinic replies",
		chromedp.SendKeys(`#body`, "再設定できました。ありがとうございました。"),
		chromedp.Click(`form[action$="/reply"] button[type=submit]`), chromedp.WaitVisible(`.thread__item--reply`))
	browsertest.Run(t, staff, "the operator sees the reply; the case is 対応中 again",
		chromedp.Reload(), chromedp.WaitVisible(`.thread__item--reply`))
	if st := browsertest.Get(t, staff, "status", chromedp.Text(`main table .badge--status`)); st != string(inquiry.InProgress) {
		t.Errorf("status after the reply: %q", st)
	}

	browsertest.Run(t, staff, "the operator opens a case for a phone caller",
		chromedp.Navigate(fmt.Sprintf("%s/admin/inquiries/new?facility=%d", env.URL, f.ID)), chromedp.WaitVisible(`#question`),
		chromedp.SetValue(`#category`, inquiry.Categories[1]), chromedp.SendKeys(`#name`, "事務 次郎"),
		chromedp.SendKeys(`#phone`, "03-1111-2222"), chromedp.SendKeys(`#question`, "カードリーダーの配送日を知りたい。"),
		chromedp.SendKeys(`#answered`, "12月3日の予定とお伝えしました。"),
		chromedp.Click(`main form.form .form-actions button[type=submit]`), chromedp.WaitVisible(`.thread__item--answer`))
	if got := browsertest.Get(t, staff, "phone case", chromedp.Text(`main table`)); !strings.Contains(got, "電話") || !strings.Contains(got, f.Name) {
		t.Errorf("phone case page: %q", got)
	}
}

// TestBrowserNewsAndBroadcast: a supervisor schedules a お知らせ, which the top page shows
// at its time, and sends a broadcast to a filtered set whose mails reach the SMTP server
// exactly once each.
func TestBrowserNewsAndBroadcast(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	for _, code := range []string{"5100001", "5100002"} {
		crFacility(t, env, "診療所", 1, code, false)
	}
	crFacility(t, env, "病院", 1, "5100003", false)
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	tab := browsertest.Tab(t, 120*time.Second)
	browserOperatorSignIn(t, tab, env, "sv", "Supervisor1234")

	at := time.Now().Add(3 * time.Hour).In(time.FixedZone("JST", 9*3600))
	browsertest.Run(t, tab, "write and preview a scheduled お知らせ",
		chromedp.Navigate(env.URL+"/admin/news/new"), chromedp.WaitVisible(`#title`),
		chromedp.SendKeys(`#title`, "年末年始のコールセンター休業について"),
		chromedp.SendKeys(`#body`, "12月29日から1月3日まで休業します。\n\n詳しくは[よくあるお問い合わせ](/faq)をご覧ください。"),
		chromedp.Click(`input[name=publish][value=schedule]`),
		chromedp.SetValue(`#publish_date`, at.Format("2006-01-02")), chromedp.SetValue(`#publish_time`, at.Format("15:04")),
		chromedp.Click(`button[value=preview]`), chromedp.WaitVisible(`.news-preview a[href="/faq"]`),
		chromedp.Click(`button[value=save]`), chromedp.WaitVisible(`.flash`))
	if got := browsertest.Get(t, tab, "list", chromedp.Text(`main table`)); !strings.Contains(got, "公開予約") {
		t.Errorf("the list does not show it scheduled: %q", got)
	}
	// Its time, brought nearer for the test: absent before, on the top page after.
	if _, err := env.DB.Exec(context.Background(), `UPDATE news SET publish_at = now() + interval '2 seconds'`); err != nil {
		t.Fatal(err)
	}
	visitor := browsertest.Tab(t, 60*time.Second)
	browsertest.Run(t, visitor, "top page before", chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(`#news-title`))
	if got := browsertest.Get(t, visitor, "news before", chromedp.Text(`main`)); strings.Contains(got, "年末年始のコールセンター休業") {
		t.Fatal("shown before its time")
	}
	time.Sleep(2500 * time.Millisecond)
	browsertest.Run(t, visitor, "top page after", chromedp.Reload(), chromedp.WaitVisible(`#news-title`))
	if got := browsertest.Get(t, visitor, "news after", chromedp.Text(`main`)); !strings.Contains(got, "年末年始のコールセンター休業") {
		t.Error("not shown at its time")
	}

	browsertest.Run(t, tab, "a broadcast to the clinics",
		chromedp.Navigate(env.URL+"/admin/broadcasts/new"), chromedp.WaitVisible(`#subject`),
		chromedp.SendKeys(`#subject`, "診療所の皆様へ"), chromedp.SendKeys(`#body`, "カードリーダーのお申込みをお願いします。"),
		chromedp.SetValue(`#kind`, "診療所"), chromedp.SetValue(`#state`, "cardreader_none"),
		chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`.recipients`))
	if n := browsertest.Get(t, tab, "count", chromedp.Text(`.recipients`)); n != "2件" {
		t.Errorf("recipients %q, want 2件", n)
	}
	browsertest.Run(t, tab, "send", chromedp.Click(`main form button.button--primary`), chromedp.WaitVisible(`.broadcast-status`))
	waitFor(t, "two broadcast mails", func() bool {
		n := 0
		for _, m := range env.Mails(t) {
			if m.Subject == "診療所の皆様へ" {
				n++
			}
		}
		return n >= 2
	})
	time.Sleep(300 * time.Millisecond)
	seen := map[string]int{}
	for _, m := range env.Mails(t) {
		if m.Subject == "診療所の皆様へ" {
			seen[m.To[0]]++
		}
	}
	if len(seen) != 2 || seen["5100001@example.jp"] != 1 || seen["5100002@example.jp"] != 1 {
		t.Errorf("broadcast recipients %v, want each clinic once", seen)
	}
	browsertest.Run(t, tab, "progress", chromedp.Reload(), chromedp.WaitVisible(`.broadcast-status`))
	if st := browsertest.Get(t, tab, "status", chromedp.Text(`.broadcast-status`)); st != "送信完了" {
		t.Errorf("broadcast status %q", st)
	}
}

// TestBrowserDocumentReachesOneFacility: a supervisor sends a PDF to one clinic; it is on
// that clinic's マイページ (未読, then read after download) and nowhere on the other's.
func TestBrowserDocumentReachesOneFacility(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	fa, accA, _ := crFacility(t, env, "診療所", 1, "5200001", false)
	_, accB, _ := crFacility(t, env, "診療所", 1, "5200002", false)
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	pdf := filepath.Join(t.TempDir(), "通知.pdf")
	if err := os.WriteFile(pdf, filecheck.SamplePDF("notice"), 0o600); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 120*time.Second)
	browserOperatorSignIn(t, tab, env, "sv", "Supervisor1234")
	browsertest.Run(t, tab, "find the clinic and send the document",
		chromedp.Navigate(env.URL+"/admin/documents/new"), chromedp.WaitVisible(`input[name=q]`),
		chromedp.SendKeys(`input[name=q]`, fa.TenDigitCode()), chromedp.Click(`form[role=search] button`),
		chromedp.WaitVisible(fmt.Sprintf(`a[href="/admin/documents/new?facility=%d"]`, fa.ID)),
		chromedp.Click(fmt.Sprintf(`a[href="/admin/documents/new?facility=%d"]`, fa.ID)), chromedp.WaitReady(`input[name=facility_id]`),
		chromedp.SendKeys(`#title`, "運用開始日のご入力について"),
		chromedp.SetUploadFiles(`#file`, []string{pdf}),
		chromedp.Click(`main form.form .form-actions button[type=submit]`), chromedp.WaitVisible(`main a[href^="/admin/documents/"]`))
	env.WaitMail(t, accA.Email, "個別文書のお知らせ")

	clinicA := browsertest.Tab(t, 60*time.Second)
	crBrowserLogin(t, clinicA, env, accA.Email)
	if got := browsertest.Get(t, clinicA, "A's documents", chromedp.Text(`#messages-title + ul`)); !strings.Contains(got, "運用開始日のご入力について") || !strings.Contains(got, "未読") {
		t.Fatalf("A's マイページ: %q", got)
	}
	browsertest.Run(t, clinicA, "A opens it", chromedp.Click(`#messages-title + ul a`), chromedp.WaitVisible(`a[href$="/file"]`))
	href := browsertest.Get(t, clinicA, "file link", chromedp.Evaluate[string](`document.querySelector('a[href$="/file"]').getAttribute("href")`))

	clinicB := browsertest.Tab(t, 60*time.Second)
	crBrowserLogin(t, clinicB, env, accB.Email)
	if got := browsertest.Get(t, clinicB, "B's マイページ", chromedp.Text(`main`)); strings.Contains(got, "運用開始日のご入力について") {
		t.Error("B's マイページ shows A's document")
	}
	browsertest.Run(t, clinicB, "B tries A's document", chromedp.Navigate(env.URL+strings.TrimSuffix(href, "/file")), chromedp.WaitVisible(`main h1`))
	if h := browsertest.Get(t, clinicB, "B's answer", chromedp.Text(`main h1`)); h != "お探しのページが見つかりません" {
		t.Errorf("B opening A's document sees %q", h)
	}
	browsertest.Run(t, tab, "the supervisor sees A has read it",
		chromedp.Navigate(env.URL+"/admin/documents"), chromedp.WaitVisible(`main table a`),
		chromedp.Click(`main table a`), chromedp.WaitVisible(`.read-count`))
	if n := browsertest.Get(t, tab, "read count", chromedp.Text(`.read-count`)); n != "1" {
		t.Errorf("read count %q, want 1", n)
	}
}
