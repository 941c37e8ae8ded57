package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/operator"
	"portal/internal/webtest"
)

func TestBrowserAdminSignIn(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "supervisor", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	tab := browsertest.Tab(t, 60*time.Second)

	browsertest.Run(t, tab, "open the back office", chromedp.Navigate(env.URL+"/admin"), chromedp.WaitVisible("#login"))
	if h := browsertest.Get(t, tab, "login heading", chromedp.Text("h1")); h != "管理画面ログイン" {
		t.Fatalf("visitor sees %q, want the login", h)
	}
	browsertest.Run(t, tab, "wrong password",
		chromedp.SendKeys("#login", "supervisor"), chromedp.SendKeys("#password", "not-it"),
		chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible("#form-errors"))
	if msg := browsertest.Get(t, tab, "failure message", chromedp.Text("#form-errors")); !strings.Contains(msg, "ログインIDまたはパスワードが正しくありません。") {
		t.Fatalf("failure message %q", msg)
	}
	browsertest.Run(t, tab, "password",
		chromedp.SendKeys("#password", "Supervisor1234"),
		chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible("#code"))
	if h := browsertest.Get(t, tab, "code heading", chromedp.Text("h1")); h != "確認コードの入力" {
		t.Fatalf("after the password %q", h)
	}
	browsertest.Run(t, tab, "code",
		chromedp.SendKeys("#code", env.OperatorCode(t, "supervisor")),
		chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible("nav.admin-nav"))
	if h := browsertest.Get(t, tab, "home heading", chromedp.Text("h1")); h != "施設検索" {
		t.Fatalf("after sign-in %q", h)
	}
	if who := browsertest.Get(t, tab, "header", chromedp.Text(".admin-operator")); who != "鈴木 監督（スーパーバイザー）" {
		t.Errorf("header shows %q", who)
	}
	browsertest.Run(t, tab, "open the audit log", chromedp.Click(`nav.admin-nav a[href="/admin/audit"]`), chromedp.WaitVisible("table.table"))
	if row := browsertest.Get(t, tab, "audit row", chromedp.Text("table.table tbody tr")); !strings.Contains(row, "鈴木 監督") || !strings.Contains(row, "ログイン") {
		t.Errorf("audit log first row %q", row)
	}
	browsertest.Run(t, tab, "sign out", chromedp.Click(".admin-header__account button"), chromedp.WaitVisible("#login"))
	if notice := browsertest.Get(t, tab, "notice", chromedp.Text(".flash")); notice != "ログアウトしました。" {
		t.Errorf("after logout %q", notice)
	}
}

// adminBrowserLogin signs the tab in to the back office as login (an operator with a
// second factor, adminCreateOperator): the password, then the current code. Browser tests
// that need a signed-in operator call it.
func adminBrowserLogin(t *testing.T, tab context.Context, env *webtest.Env, login, password string) {
	t.Helper()
	browsertest.Run(t, tab, "sign in as "+login,
		chromedp.Navigate(env.URL+"/admin/login"), chromedp.WaitVisible("#login"),
		chromedp.SendKeys("#login", login), chromedp.SendKeys("#password", password),
		chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible("#code"))
	browsertest.Run(t, tab, "code of "+login,
		chromedp.SendKeys("#code", env.OperatorCode(t, login)),
		chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible("nav.admin-nav"))
}

// An operator made by a supervisor signs in for the first time: the temporary password,
// the enrolment (QR code and secret), the recovery codes, the forced password change;
// then the supervisor resets the operator's factor and the next sign-in enrols again.
func TestBrowserOperatorEnrolsAndSupervisorResets(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "supervisor", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	sv := browsertest.Tab(t, 90*time.Second)
	adminBrowserLogin(t, sv, env, "supervisor", "Supervisor1234")

	browsertest.Run(t, sv, "create an operator",
		chromedp.Click(`nav.admin-nav a[href="/admin/operators"]`), chromedp.WaitVisible(`a[href="/admin/operators/new"]`),
		chromedp.Click(`a[href="/admin/operators/new"]`), chromedp.WaitVisible("#login"),
		chromedp.SendKeys("#login", "yamada"), chromedp.SendKeys("#name", "山田 花子"),
		chromedp.Click("form.form button.button--primary"), chromedp.WaitVisible(`form[action="/admin/operators/create"]`),
		chromedp.Click(`form[action="/admin/operators/create"] button.button--primary`), chromedp.WaitVisible("#temporary-password"))
	temp := browsertest.Get(t, sv, "temporary password", chromedp.Text("#temporary-password"))

	op := browsertest.Tab(t, 90*time.Second)
	enrol := func(what string) {
		t.Helper()
		browsertest.Run(t, op, what+": enrolment page", chromedp.WaitVisible("#totp-secret"))
		if ok := browsertest.Get(t, op, what+": QR code", chromedp.Evaluate[bool](
			`(() => { const i = document.querySelector(".admin-qr img"); return i.complete && i.naturalWidth >= 200 && i.src.startsWith("data:image/png"); })()`)); !ok {
			t.Fatalf("%s: the QR code is not drawn", what)
		}
		secret := strings.ReplaceAll(browsertest.Get(t, op, what+": secret", chromedp.Text("#totp-secret")), " ", "")
		code, err := operator.CodeAt(secret, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Run(t, op, what+": first code",
			chromedp.SendKeys("#code", code), chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible(".admin-recovery"))
		if n := browsertest.Get(t, op, what+": recovery codes", chromedp.Evaluate[int](`document.querySelectorAll(".admin-recovery code").length`)); n != 10 {
			t.Fatalf("%s: %d recovery codes", what, n)
		}
	}
	browsertest.Run(t, op, "first sign-in",
		chromedp.Navigate(env.URL+"/admin/login"), chromedp.WaitVisible("#login"),
		chromedp.SendKeys("#login", "yamada"), chromedp.SendKeys("#password", temp),
		chromedp.Click("form.form button[type=submit]"))
	enrol("first sign-in")
	browsertest.Run(t, op, "forced password change",
		chromedp.Click("main a.button--primary"), chromedp.WaitVisible("#current_password"),
		chromedp.SendKeys("#current_password", temp), chromedp.SendKeys("#password", "Yamada2026pass"),
		chromedp.SendKeys("#password_confirm", "Yamada2026pass"),
		chromedp.Click("form.form button[type=submit]"), chromedp.WaitVisible(".flash"))
	if h := browsertest.Get(t, op, "home", chromedp.Text("main h1")); h != "施設検索" {
		t.Fatalf("after the password change %q", h)
	}

	browsertest.Run(t, sv, "reset the operator's factor",
		chromedp.Navigate(env.URL+"/admin/operators"), chromedp.WaitVisible("table.table"),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("table a")].find(a => a.textContent === "yamada").click()`),
		chromedp.WaitVisible(`a[href$="/reset-factor"]`),
		chromedp.Click(`a[href$="/reset-factor"]`), chromedp.WaitVisible(`form[action$="/reset-factor"]`),
		chromedp.Click(`form[action$="/reset-factor"] button.button--primary`), chromedp.WaitVisible(".flash"))
	if notice := browsertest.Get(t, sv, "notice", chromedp.Text(".flash")); !strings.Contains(notice, "二要素認証をリセットしました") {
		t.Fatalf("after the reset %q", notice)
	}
	// The operator's open page is signed out at the next click; signing in enrols again.
	browsertest.Run(t, op, "signed out", chromedp.Navigate(env.URL+"/admin"), chromedp.WaitVisible("#login"))
	browsertest.Run(t, op, "sign in after the reset",
		chromedp.SendKeys("#login", "yamada"), chromedp.SendKeys("#password", "Yamada2026pass"),
		chromedp.Click("form.form button[type=submit]"))
	enrol("after the reset")
	browsertest.Run(t, op, "into the back office", chromedp.Click("main a.button--primary"), chromedp.WaitVisible("nav.admin-nav"))
	// An operator cannot reach the supervisors' pages.
	browsertest.Run(t, op, "supervisor page", chromedp.Navigate(env.URL+"/admin/operators"), chromedp.WaitVisible("main h1"))
	if h := browsertest.Get(t, op, "refused", chromedp.Text("main h1")); h != "この画面を開く権限がありません" {
		t.Fatalf("operator on /admin/operators sees %q", h)
	}
}

// A facility's session never opens the back office, and an operator's never acts as a
// facility: in one browser, each sign-in drops the other principal.
func TestBrowserFacilityAndOperatorStayApart(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	_, acc, _ := crFacility(t, env, "診療所", 1, "3700001", false)
	adminCreateOperator(t, env, "op", "操作 太郎", "Operator1234", operator.RoleOperator)
	tab := browsertest.Tab(t, 90*time.Second)

	crBrowserLogin(t, tab, env, acc.Email)
	for _, p := range []string{"/admin", "/admin/cardreader", "/admin/audit"} {
		browsertest.Run(t, tab, "facility opens "+p, chromedp.Navigate(env.URL+p), chromedp.WaitVisible("#login"))
		if h := browsertest.Get(t, tab, p, chromedp.Text("main h1")); h != "管理画面ログイン" {
			t.Fatalf("a facility on %s sees %q", p, h)
		}
	}
	adminBrowserLogin(t, tab, env, "op", "Operator1234")
	for _, p := range []string{"/mypage", "/cardreader", "/account/edit"} {
		browsertest.Run(t, tab, "operator opens "+p, chromedp.Navigate(env.URL+p), chromedp.WaitVisible("#email"))
		if h := browsertest.Get(t, tab, p, chromedp.Text("main h1")); !strings.Contains(h, "ログイン") {
			t.Fatalf("an operator on %s sees %q", p, h)
		}
	}
	// The operator is still signed in to the back office; an operator cannot reach the
	// supervisors' pages.
	browsertest.Run(t, tab, "back office", chromedp.Navigate(env.URL+"/admin/audit"), chromedp.WaitVisible("main h1"))
	if h := browsertest.Get(t, tab, "audit", chromedp.Text("main h1")); h != "この画面を開く権限がありません" {
		t.Fatalf("an operator on /admin/audit sees %q", h)
	}
}
