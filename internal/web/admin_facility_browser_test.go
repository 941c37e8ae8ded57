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

	"portal/internal/account"
	"portal/internal/browsertest"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// Forms are filled with SetValue and sent with Submit or a click on their button, as in the
// other browser tests (key events go to the focused tab; tests share one browser).

// bfSignIn signs the tab in to the back office (password, then the code).
func bfSignIn(t *testing.T, tab context.Context, env *webtest.Env, login, pw string) {
	t.Helper()
	adminBrowserLogin(t, tab, env, login, pw)
}

// An operator types a caller's phone number in full width into the box on /admin: the
// results come as they type, and the facility's page opens from them.
func TestBrowserFacilitySearchByFullWidthPhone(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env) // phone 03-0000-0001
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	tab := browsertest.Tab(t, 90*time.Second)
	bfSignIn(t, tab, env, "op", "Operator1234")
	link := fmt.Sprintf(`#facility-results a[href="/admin/facilities/%d"]`, a.FacilityID)
	browsertest.Run(t, tab, "type the phone number",
		chromedp.WaitVisible(`#q`), chromedp.Focus(`#q`), chromedp.SendKeys(`#q`, "０３－００００－０００１"),
		chromedp.WaitVisible(link))
	if loc := browsertest.Get(t, tab, "location", chromedp.Location()); strings.Contains(loc, "q=") && !strings.Contains(loc, "/admin/facilities") {
		t.Errorf("location %s", loc)
	}
	found := browsertest.Get(t, tab, "results", chromedp.Text(`#facility-results`))
	if !strings.Contains(found, "電話番号") || !strings.Contains(found, "みなと診療所") {
		t.Errorf("results %q", found)
	}
	browsertest.Run(t, tab, "open the facility", chromedp.Click(link), chromedp.WaitVisible(`#master-title`))
	if h := browsertest.Get(t, tab, "heading", chromedp.Text(`main h1`)); h != "みなと診療所" {
		t.Errorf("facility page heading %q", h)
	}
}

// A caller lost the letter: the operator deletes the provisional credentials with a reason,
// reads out what to do next, and the facility page records who and why.
func TestBrowserDeleteProvisionalWithReason(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 4, "2345678", "ぶらうざ薬局")
	letter, err := account.IssueOne(context.Background(), env.DB, env.Config.SessionSecret, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	tab := browsertest.Tab(t, 90*time.Second)
	bfSignIn(t, tab, env, "op", "Operator1234")
	page := fmt.Sprintf("%s/admin/facilities/%d", env.URL, f.ID)
	browsertest.Run(t, tab, "open the delete step",
		chromedp.Navigate(page), chromedp.WaitVisible(`a[href$="/delete-provisional"]`),
		chromedp.Click(`a[href$="/delete-provisional"]`), chromedp.WaitVisible(`#reason`))
	browsertest.Run(t, tab, "confirm without a reason",
		chromedp.Click(`.form-actions button[type=submit]`), chromedp.WaitVisible(`#reason-error`))
	browsertest.Run(t, tab, "confirm with a reason",
		chromedp.SetValue(`#reason`, "案内文書を紛失したとの電話（本人確認済み）"),
		chromedp.Click(`.form-actions button[type=submit]`), chromedp.WaitVisible(`.facility-script`))
	script := browsertest.Get(t, tab, "script", chromedp.Text(`.facility-script`))
	if !strings.Contains(script, "初めてご利用になる方（アカウント登録）") {
		t.Errorf("what to tell the caller: %q", script)
	}
	browsertest.Run(t, tab, "back to the facility", chromedp.Navigate(page), chromedp.WaitVisible(`#cred-title`))
	creds := browsertest.Get(t, tab, "credentials", chromedp.Text(`#cred-title + .table-wrap`))
	if !strings.Contains(creds, "削除済") || !strings.Contains(creds, "山田 担当：案内文書を紛失したとの電話（本人確認済み）") {
		t.Errorf("credentials %q", creds)
	}
	if _, err := account.SignIn(context.Background(), env.DB, env.Config.SessionSecret, letter.LoginID, letter.Password); err == nil {
		t.Error("the deleted letter still signs in")
	}
}

// A facility whose address no longer works: the operator issues a パスワード等通知書 and
// prints it; the facility signs in with it and completes the forced account edit.
func TestBrowserNoticeToForcedEdit(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	tab := browsertest.Tab(t, 120*time.Second)
	bfSignIn(t, tab, env, "op", "Operator1234")
	browsertest.Run(t, tab, "issue the notice",
		chromedp.Navigate(fmt.Sprintf("%s/admin/facilities/%d", env.URL, a.FacilityID)),
		chromedp.WaitVisible(`a[href$="/issue-notice"]`), chromedp.Click(`a[href$="/issue-notice"]`), chromedp.WaitVisible(`#reason`),
		chromedp.SetValue(`#reason`, "登録したメールアドレスが使えなくなったとの電話"),
		chromedp.Click(`.form-actions button[type=submit]`), chromedp.WaitVisible(`.sheet`))
	browsertest.Audit(t, tab, "パスワード等通知書")
	secrets := browsertest.Get(t, tab, "credentials", chromedp.Evaluate[[]string](`[...document.querySelectorAll(".sheet__secret")].map(e => e.textContent.trim())`))
	if len(secrets) != 2 || !strings.HasPrefix(secrets[1], "pa") {
		t.Fatalf("credentials on the letter: %q", secrets)
	}
	sheets := browsertest.Get(t, tab, "sheets", chromedp.Evaluate[int](`document.querySelectorAll(".sheet").length`))
	nav := browsertest.Get(t, tab, "navigation", chromedp.Evaluate[int](`document.querySelectorAll("nav").length`))
	if sheets != 2 || nav != 0 {
		t.Errorf("%d sheets, %d navigation blocks", sheets, nav)
	}
	env.WaitMail(t, "minato@example.jp", "パスワード等通知書発行のお知らせ")

	// The facility, in a browser of its own.
	fac := browsertest.Tab(t, 120*time.Second)
	browsertest.Run(t, fac, "sign in with the notice",
		chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(`form[action="/login"]`),
		chromedp.SetValue(`#email`, secrets[0]), chromedp.SetValue(`#password`, secrets[1]),
		chromedp.Submit(`form[action="/login"]`), chromedp.WaitVisible(`form[action="/account/setup"]`))
	if v := browsertest.Get(t, fac, "name", chromedp.Value(`#name`)); v != "みなと診療所" {
		t.Errorf("the edit starts from the account: %q", v)
	}
	browsertest.Run(t, fac, "set a new address and password",
		chromedp.SetValue(`#email`, "minato-new@example.jp"), chromedp.SetValue(`#email_confirm`, "minato-new@example.jp"),
		chromedp.SetValue(`#password`, "NewMinato1234"), chromedp.SetValue(`#password_confirm`, "NewMinato1234"),
		chromedp.Submit(`form[action="/account/setup"]`), chromedp.WaitVisible(`form[action="/account/setup/confirm"]`),
		chromedp.Submit(`form[action="/account/setup/confirm"]`), chromedp.WaitVisible(`main h1`))
	env.WaitMail(t, "minato-new@example.jp", "アカウント登録完了のご案内")
	if loc := browsertest.Get(t, fac, "location", chromedp.Location()); !strings.HasSuffix(loc, "/account/setup/complete") {
		t.Fatalf("after the edit: %s", loc)
	}
	browsertest.Run(t, fac, "sign out and in with the new address",
		chromedp.Submit(`form[action="/logout"]`), chromedp.WaitVisible(`a[href="/login"]`),
		chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(`form[action="/login"]`),
		chromedp.SetValue(`#email`, "minato-new@example.jp"), chromedp.SetValue(`#password`, "NewMinato1234"),
		chromedp.Submit(`form[action="/login"]`), chromedp.WaitVisible(`form[action="/logout"]`))
	if loc := browsertest.Get(t, fac, "location", chromedp.Location()); !strings.HasSuffix(loc, "/mypage") {
		t.Errorf("after sign-in: %s", loc)
	}
}

// A mail the server refused until it failed is retried from the outbox page and arrives.
func TestBrowserRetryFailedMail(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	tab := browsertest.Tab(t, 120*time.Second)
	bfSignIn(t, tab, env, "op", "Operator1234")

	env.SMTP.RejectAll(true)
	browsertest.Run(t, tab, "mail a reset link",
		chromedp.Navigate(fmt.Sprintf("%s/admin/facilities/%d/password-reset-mail", env.URL, a.FacilityID)),
		chromedp.WaitVisible(`.form-actions button[type=submit]`), chromedp.Click(`.form-actions button[type=submit]`),
		chromedp.WaitVisible(`.flash`))
	deadline := time.Now().Add(60 * time.Second)
	for {
		var n int
		if err := env.DB.QueryRow(context.Background(), `SELECT count(*) FROM mail_outbox WHERE status = 'failed'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the mail never failed")
		}
		time.Sleep(200 * time.Millisecond)
	}
	env.SMTP.RejectAll(false)

	browsertest.Run(t, tab, "find the failed mail",
		chromedp.Navigate(env.URL+"/admin/mails"), chromedp.WaitVisible(`select[name="status"]`),
		chromedp.SetValue(`select[name="status"]`, "failed"), chromedp.Submit(`form.outbox-filter`),
		chromedp.WaitVisible(`table.outbox-list a`))
	row := browsertest.Get(t, tab, "row", chromedp.Text(`table.outbox-list tbody tr`))
	if !strings.Contains(row, "送信失敗") || !strings.Contains(row, "451") {
		t.Errorf("failed row %q", row)
	}
	browsertest.Run(t, tab, "retry it",
		chromedp.Click(`table.outbox-list a`), chromedp.WaitVisible(`a[href$="/retry"]`),
		chromedp.Click(`a[href$="/retry"]`), chromedp.WaitVisible(`.form-actions button[type=submit]`),
		chromedp.Click(`.form-actions button[type=submit]`), chromedp.WaitVisible(`.flash`))
	env.WaitMail(t, "minato@example.jp", "パスワード再設定用URLのご案内")
	browsertest.Run(t, tab, "reload", chromedp.Reload(), chromedp.WaitVisible(`.outbox-state`))
	if s := browsertest.Get(t, tab, "state", chromedp.Text(`.outbox-state`)); s != "送信済" {
		t.Errorf("after the retry: %q", s)
	}
}

// A supervisor uploads a master file and watches the progress bar reach 100 % without
// reloading the page by hand.
func TestBrowserMasterUploadProgress(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	file := filepath.Join(t.TempDir(), "施設マスタ.csv")
	if err := os.WriteFile(file, btMaster(20_000), 0o600); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 120*time.Second)
	bfSignIn(t, tab, env, "sv", "Supervisor1234")
	browsertest.Run(t, tab, "upload the master",
		chromedp.Navigate(env.URL+"/admin/batches"), chromedp.WaitVisible(`#file`),
		chromedp.SetUploadFiles(`#file`, []string{file}),
		chromedp.Click(`form[action="/admin/batches/master"] button[type=submit]`), chromedp.WaitVisible(`#batch-bar`))
	// Watch the bar: it only moves forward and ends at 100 once the page shows the result.
	var seen []int
	deadline := time.Now().Add(90 * time.Second)
	for {
		v, err := chromedp.Run(tab, chromedp.Evaluate[int](`(() => { const b = document.getElementById("batch-bar"); return b ? Math.round(b.value) : -1; })()`))
		if err == nil && v >= 0 && (len(seen) == 0 || seen[len(seen)-1] != v) {
			seen = append(seen, v)
		}
		done, _ := chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.getElementById("result-title")`))
		if done && len(seen) > 0 && seen[len(seen)-1] == 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the progress stopped at %v", seen)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Errorf("the bar went back: %v", seen)
		}
	}
	result := browsertest.Get(t, tab, "result", chromedp.Text(`#result-title + p`))
	if !strings.Contains(result, "新規 20000件") {
		t.Errorf("result %q (bar %v)", result, seen)
	}
	t.Logf("progress seen: %v", seen)
}
