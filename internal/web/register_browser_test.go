package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/form"
	"portal/internal/webtest"
)

// TestBrowserNewRegistration walks 初めてご利用になる方 in chromium: ask for the link, read
// it from the SMTP server, fill the account form (full-width digits and dashes, one
// mistake), confirm, complete, read the completion mail and sign in.
func TestBrowserNewRegistration(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	seedFacility(t, env, 27, 3, "7654321", "ブラウザ歯科")
	tab := browsertest.Tab(t, 90*time.Second)

	browsertest.Run(t, tab, "top page → 初めてご利用になる方",
		chromedp.Navigate(env.URL+"/"),
		chromedp.Click(`.entrances a[href="/register"]`),
		chromedp.WaitVisible(`form[action="/register"]`))
	browsertest.Run(t, tab, "仮登録メールを送信する",
		chromedp.SendKeys(`#email`, "ｓｉｇｎｕｐ＠example.jp"),
		chromedp.Click(`form[action="/register"] button[type=submit]`),
		chromedp.WaitVisible(`#notice`))
	if h := browsertest.Get(t, tab, "sent", chromedp.Text(`h1`)); h != "仮登録メールを送信しました" {
		t.Fatalf("after sending: %q", h)
	}
	m := env.WaitMail(t, "signup@example.jp", subjectRegisterURL)
	link := registerLink.FindString(m.Body)
	if link == "" {
		t.Fatalf("no link in:\n%s", m.Body)
	}

	browsertest.Run(t, tab, "open the link, give the code and show the master's particulars",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`form[action="/register/account"]`),
		chromedp.SetValue(`#prefecture`, "27"),
		chromedp.SetValue(`#score_table`, "3"),
		chromedp.SendKeys(`#facility_code`, "７６５４３２１"),
		chromedp.Click(`#lookup`),
		chromedp.WaitVisible(`#lookup-notice`))
	if v := browsertest.Get(t, tab, "name from the master", chromedp.Value(`#name`)); v != "ブラウザ歯科" {
		t.Errorf("name filled %q", v)
	}
	browsertest.Run(t, tab, "fill the rest with one mistake",
		chromedp.SetValue(`#phone`, "0612345678"),
		chromedp.SendKeys(`#contact_name`, "受付 花子"),
		chromedp.SendKeys(`#password`, "Signup2024"),
		chromedp.SendKeys(`#password_confirm`, "Signup2024"),
		chromedp.Click(`form[action="/register/account"] .form-actions button`),
		chromedp.WaitVisible(`#phone-error`))
	if loc := browsertest.Get(t, tab, "location", chromedp.Location()); !strings.HasSuffix(loc, "/register/account") {
		t.Errorf("the link stayed in the address bar: %s", loc)
	}
	banner := browsertest.Get(t, tab, "banner", chromedp.Text(`.form-banner`))
	if !strings.Contains(banner, form.Banner) || !strings.Contains(banner, "電話番号") {
		t.Errorf("banner %q", banner)
	}
	if v := browsertest.Get(t, tab, "code normalised and kept", chromedp.Value(`#facility_code`)); v != "7654321" {
		t.Errorf("facility code %q", v)
	}
	if v := browsertest.Get(t, tab, "prefecture kept", chromedp.Value(`#prefecture`)); v != "27" {
		t.Errorf("prefecture %q", v)
	}
	if v := browsertest.Get(t, tab, "password not kept", chromedp.Value(`#password`)); v != "" {
		t.Error("the password came back into the page")
	}
	if inv := browsertest.Get(t, tab, "aria-invalid", chromedp.Evaluate[string](`document.querySelector('#phone').getAttribute('aria-invalid')`)); inv != "true" {
		t.Errorf("phone aria-invalid %q", inv)
	}
	if id := browsertest.Get(t, tab, "focus on the banner", chromedp.Evaluate[string](`document.activeElement.id`)); id != "form-errors" {
		t.Errorf("focus after errors on %q, want the banner", id)
	}
	browsertest.Run(t, tab, "the banner link leads to the field",
		chromedp.Click(`.form-banner a[href="#phone"]`))
	if id := browsertest.Get(t, tab, "focus on the field", chromedp.Evaluate[string](`document.activeElement.id`)); id != "phone" {
		t.Errorf("focus after the banner link on %q, want phone", id)
	}
	if loc := browsertest.Get(t, tab, "fragment", chromedp.Location()); !strings.HasSuffix(loc, "#phone") {
		t.Errorf("banner link went to %s", loc)
	}

	browsertest.Run(t, tab, "fix with full-width digits and dashes, go to the confirm page",
		chromedp.SetValue(`#phone`, "０６ー１２３４ー５６７８"),
		chromedp.SendKeys(`#password`, "Signup2024"),
		chromedp.SendKeys(`#password_confirm`, "Signup2024"),
		chromedp.Click(`form[action="/register/account"] .form-actions button`),
		chromedp.WaitVisible(`form[action="/register/confirm"]`))
	confirm := browsertest.Get(t, tab, "confirm table", chromedp.Text(`.confirm-table`))
	for _, want := range []string{"大阪府", "3歯科", "7654321", "ブラウザ歯科", "医療法人テスト会", "06-1234-5678", "受付 花子", "signup@example.jp"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirm page lacks %q: %q", want, confirm)
		}
	}
	browsertest.Run(t, tab, "上記の内容で確定する",
		chromedp.Click(`form[action="/register/confirm"] button`),
		chromedp.WaitVisible(`main a.button--primary[href="/login"]`))
	if h := browsertest.Get(t, tab, "done", chromedp.Text(`h1`)); h != "アカウント登録が完了しました" {
		t.Errorf("completion heading %q", h)
	}
	done := env.WaitMail(t, "signup@example.jp", "アカウント登録完了のご案内")
	if !strings.Contains(done.Body, "受付 花子 様") {
		t.Errorf("completion mail:\n%s", done.Body)
	}

	browsertest.Run(t, tab, "sign in with the new account",
		chromedp.Click(`main a.button--primary[href="/login"]`),
		chromedp.WaitVisible(`form[action="/login"]`),
		chromedp.SendKeys(`#email`, "signup@example.jp"),
		chromedp.SendKeys(`#password`, "Signup2024"),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#apps-title`))
	if page := browsertest.Get(t, tab, "mypage", chromedp.Text(`main`)); !strings.Contains(page, "ブラウザ歯科") {
		t.Errorf("マイページ %q", page)
	}
}

// TestBrowserPasswordReset walks パスワードを忘れた方はこちら: the link from the mail, a new
// password, and signing in with it.
func TestBrowserPasswordReset(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "リセット診療所")
	seedAccount(t, env, f, "forgot@example.jp", "Forgotten1")
	tab := browsertest.Tab(t, 90*time.Second)

	browsertest.Run(t, tab, "login page → パスワードを忘れた方はこちら",
		chromedp.Navigate(env.URL+"/login"),
		chromedp.Click(`a[href="/password/forgot"]`),
		chromedp.WaitVisible(`form[action="/password/forgot"]`),
		chromedp.SendKeys(`#email`, "forgot@example.jp"),
		chromedp.Click(`form[action="/password/forgot"] button[type=submit]`),
		chromedp.WaitVisible(`#notice`))
	m := env.WaitMail(t, "forgot@example.jp", "パスワード再設定用URLのご案内")
	link := resetLink.FindString(m.Body)
	if link == "" {
		t.Fatalf("no link in:\n%s", m.Body)
	}
	browsertest.Run(t, tab, "open the link, mistype the confirmation",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`form[action="/password/reset"]`),
		chromedp.SendKeys(`#password`, "Remember2"),
		chromedp.SendKeys(`#password_confirm`, "Remember3"),
		chromedp.Click(`form[action="/password/reset"] button[type=submit]`),
		chromedp.WaitVisible(`#password_confirm-error`))
	browsertest.Run(t, tab, "set the new password",
		chromedp.SendKeys(`#password`, "Remember2"),
		chromedp.SendKeys(`#password_confirm`, "Remember2"),
		chromedp.Click(`form[action="/password/reset"] button[type=submit]`),
		chromedp.WaitVisible(`main a.button--primary[href="/login"]`))
	if h := browsertest.Get(t, tab, "done", chromedp.Text(`h1`)); h != "パスワードの再設定が完了しました" {
		t.Errorf("completion heading %q", h)
	}
	env.WaitMail(t, "forgot@example.jp", "パスワード変更完了のお知らせ")
	browsertest.Run(t, tab, "sign in with the new password",
		chromedp.Click(`main a.button--primary[href="/login"]`),
		chromedp.WaitVisible(`form[action="/login"]`),
		chromedp.SendKeys(`#email`, "forgot@example.jp"),
		chromedp.SendKeys(`#password`, "Remember2"),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#apps-title`))
}

// TestBrowserEmailChange changes the login address: request signed in, confirm from the
// link mailed to the new address, sign in with it.
func TestBrowserEmailChange(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "変更診療所")
	seedAccount(t, env, f, "before@example.jp", "Change123")
	tab := browsertest.Tab(t, 90*time.Second)

	browsertest.Run(t, tab, "sign in and ask for the change",
		chromedp.Navigate(env.URL+"/login"),
		chromedp.SendKeys(`#email`, "before@example.jp"),
		chromedp.SendKeys(`#password`, "Change123"),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#apps-title`),
		chromedp.Navigate(env.URL+"/account/email"),
		chromedp.WaitVisible(`form[action="/account/email"]`),
		chromedp.SendKeys(`#email`, "after@example.jp"),
		chromedp.SendKeys(`#email_confirm`, "after@example.jp"),
		chromedp.Click(`form[action="/account/email"] button[type=submit]`),
		chromedp.WaitVisible(`#notice`))
	m := env.WaitMail(t, "after@example.jp", "メールアドレス変更確認用URLのご案内")
	link := emailChangeLink.FindString(m.Body)
	if link == "" {
		t.Fatalf("no link in:\n%s", m.Body)
	}
	browsertest.Run(t, tab, "open the link and confirm",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`form[action="/account/email/confirm"]`),
		chromedp.Click(`form[action="/account/email/confirm"] button`),
		chromedp.WaitVisible(`main a.button--primary[href="/mypage"]`))
	if h := browsertest.Get(t, tab, "done", chromedp.Text(`h1`)); h != "メールアドレスの変更が完了しました" {
		t.Errorf("completion heading %q", h)
	}
	env.WaitMail(t, "before@example.jp", "メールアドレス変更完了のお知らせ")
	browsertest.Run(t, tab, "still signed in; sign out and in with the new address",
		chromedp.Click(`main a.button--primary[href="/mypage"]`),
		chromedp.WaitVisible(`#apps-title`),
		chromedp.Click(`form[action="/logout"] button`),
		chromedp.WaitVisible(`.entrances`),
		chromedp.Navigate(env.URL+"/login"),
		chromedp.SendKeys(`#email`, "after@example.jp"),
		chromedp.SendKeys(`#password`, "Change123"),
		chromedp.Click(`form[action="/login"] button[type=submit]`),
		chromedp.WaitVisible(`#apps-title`))
}
