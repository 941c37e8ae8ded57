package web_test

import (
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
	browsertest.Run(t, tab, "sign in",
		chromedp.SendKeys("#password", "Supervisor1234"),
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
