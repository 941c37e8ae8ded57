package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/account"
	"portal/internal/browsertest"
	"portal/internal/webtest"
)

// Forms are filled with SetValue and sent with Submit rather than typed and clicked: key
// and mouse events go to the focused tab, and these tests share one browser in parallel.

// TestBrowserProvisionalLetterPath walks the letter's path in chromium: sign in with the
// 仮メールアドレス・仮パスワード, be refused once for keeping 担当者名 「支払基金」, fix it, confirm,
// complete, read the mail from the SMTP server, and find the letter dead and the new
// address working.
func TestBrowserProvisionalLetterPath(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 1, 4, "1234567", "ブラウザ薬局")
	letter, err := account.IssueOne(context.Background(), env.DB, env.Config.SessionSecret, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 90*time.Second)

	browsertest.Run(t, tab, "open the top page and go to the login",
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible(`a[href="/login"]`),
		chromedp.Navigate(env.URL+"/login"),
		chromedp.WaitVisible(`form[action="/login"]`))
	browsertest.Run(t, tab, "sign in with the letter",
		chromedp.SetValue(`#email`, letter.LoginID),
		chromedp.SetValue(`#password`, letter.Password),
		chromedp.Submit(`form[action="/login"]`),
		chromedp.WaitVisible(`form[action="/account/setup"]`))
	if loc := browsertest.Get(t, tab, "location", chromedp.Location()); !strings.HasSuffix(loc, "/account/setup") {
		t.Fatalf("after the letter's sign-in: %s", loc)
	}
	fixed := browsertest.Get(t, tab, "fixed fields", chromedp.Text(`.form-table`))
	for _, want := range []string{"北海道", "4調剤", "1234567"} {
		if !strings.Contains(fixed, want) {
			t.Errorf("fixed fields lack %q: %q", want, fixed)
		}
	}
	browsertest.Audit(t, tab, "forced edit")
	if v := browsertest.Get(t, tab, "contact", chromedp.Value(`#contact_name`)); v != "支払基金" {
		t.Errorf("担当者名 pre-filled %q", v)
	}
	if v := browsertest.Get(t, tab, "email", chromedp.Value(`#email`)); v != letter.LoginID {
		t.Errorf("address pre-filled %q", v)
	}

	browsertest.Run(t, tab, "submit with 担当者名 left as 支払基金",
		chromedp.SetValue(`#email`, "browser@example.jp"),
		chromedp.SetValue(`#email_confirm`, "browser@example.jp"),
		chromedp.SetValue(`#password`, "Browser1234"),
		chromedp.SetValue(`#password_confirm`, "Browser1234"),
		chromedp.Submit(`form[action="/account/setup"]`),
		chromedp.WaitVisible(`#contact_name-error`))
	browsertest.Audit(t, tab, "forced edit with errors")
	banner := browsertest.Get(t, tab, "banner", chromedp.Text(`.form-banner`))
	if !strings.Contains(banner, "▲エラーが発生しました。入力フォームのエラー箇所をチェックしてください。") || !strings.Contains(banner, "支払基金") {
		t.Errorf("banner %q", banner)
	}
	if msg := browsertest.Get(t, tab, "field error", chromedp.Text(`#contact_name-error`)); !strings.Contains(msg, "担当者名") {
		t.Errorf("error beside 担当者名: %q", msg)
	}
	if v := browsertest.Get(t, tab, "email kept", chromedp.Value(`#email`)); v != "browser@example.jp" {
		t.Errorf("typed address lost: %q", v)
	}
	if v := browsertest.Get(t, tab, "password blank", chromedp.Value(`#password`)); v != "" {
		t.Error("the password came back into the page")
	}

	browsertest.Run(t, tab, "fix and go to the confirm page",
		chromedp.SetValue(`#contact_name`, "薬局 一郎"),
		chromedp.SetValue(`#password`, "Browser1234"),
		chromedp.SetValue(`#password_confirm`, "Browser1234"),
		chromedp.Submit(`form[action="/account/setup"]`),
		chromedp.WaitVisible(`form[action="/account/setup/confirm"]`))
	browsertest.Audit(t, tab, "forced edit confirm")
	confirm := browsertest.Get(t, tab, "confirm table", chromedp.Text(`.confirm-table`))
	if !strings.Contains(confirm, "薬局 一郎") || !strings.Contains(confirm, "browser@example.jp") {
		t.Errorf("confirm page %q", confirm)
	}
	browsertest.Run(t, tab, "上記の内容に同意して確定する",
		chromedp.Submit(`form[action="/account/setup/confirm"]`),
		chromedp.WaitVisible(`a.button--primary[href="/mypage"]`))
	if h := browsertest.Get(t, tab, "completion", chromedp.Text(`h1`)); h != "アカウント登録が完了しました" {
		t.Errorf("completion heading %q", h)
	}
	m := env.WaitMail(t, "browser@example.jp", "アカウント登録完了のご案内")
	if !strings.Contains(m.Body, "browser@example.jp") {
		t.Errorf("mail body %q", m.Body)
	}

	browsertest.Run(t, tab, "sign out",
		chromedp.Submit(`form[action="/logout"]`),
		chromedp.WaitVisible(`.entrances`))
	browsertest.Run(t, tab, "the letter no longer works",
		chromedp.Navigate(env.URL+"/login"),
		chromedp.SetValue(`#email`, letter.LoginID),
		chromedp.SetValue(`#password`, letter.Password),
		chromedp.Submit(`form[action="/login"]`),
		chromedp.WaitVisible(`#login-failure`))
	if msg := browsertest.Get(t, tab, "failure", chromedp.Text(`#login-failure`)); msg != "メールアドレスまたはパスワードが正しくありません。" {
		t.Errorf("old letter: %q", msg)
	}
	browsertest.Run(t, tab, "the new address works",
		chromedp.SetValue(`#email`, "browser@example.jp"),
		chromedp.SetValue(`#password`, "Browser1234"),
		chromedp.Submit(`form[action="/login"]`),
		chromedp.WaitVisible(`#apps-title`))
	browsertest.Audit(t, tab, "マイページ")
	page := browsertest.Get(t, tab, "mypage", chromedp.Text(`main`))
	for _, want := range []string{"マイページ", "ブラウザ薬局", "薬局 一郎", "browser@example.jp"} {
		if !strings.Contains(page, want) {
			t.Errorf("マイページ lacks %q", want)
		}
	}
}

// TestBrowserLoginLockout shows the lock-out on the page after five failures.
func TestBrowserLoginLockout(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "ロック診療所")
	seedAccount(t, env, f, "lock@example.jp", "Correct123")
	tab := browsertest.Tab(t, 60*time.Second)
	browsertest.Run(t, tab, "open login", chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(`#email`))
	for i := 1; i <= account.MaxFailures; i++ {
		// Mark the page, so the wait below sees the answer to this attempt, not the last one.
		browsertest.Get(t, tab, "mark", chromedp.Evaluate[bool](`document.body.dataset.old = "1", true`))
		browsertest.Run(t, tab, "wrong password",
			chromedp.SetValue(`#email`, "lock@example.jp"),
			chromedp.SetValue(`#password`, "Wrong1234"),
			chromedp.Submit(`form[action="/login"]`),
			chromedp.WaitVisible(`body:not([data-old]) #login-failure`))
	}
	browsertest.Audit(t, tab, "login locked")
	msg := browsertest.Get(t, tab, "lock message", chromedp.Text(`#login-failure`))
	if !strings.Contains(msg, "一時的に停止") || !strings.Contains(msg, "0800-080-4583") {
		t.Errorf("after five failures the page says %q", msg)
	}
	if v := browsertest.Get(t, tab, "address kept", chromedp.Value(`#email`)); v != "lock@example.jp" {
		t.Errorf("address not kept: %q", v)
	}
	browsertest.Get(t, tab, "mark", chromedp.Evaluate[bool](`document.body.dataset.old = "1", true`))
	browsertest.Run(t, tab, "right password while locked",
		chromedp.SetValue(`#password`, "Correct123"),
		chromedp.Submit(`form[action="/login"]`),
		chromedp.WaitVisible(`body:not([data-old]) #login-failure`))
	if msg := browsertest.Get(t, tab, "still locked", chromedp.Text(`#login-failure`)); !strings.Contains(msg, "一時的に停止") {
		t.Errorf("the right password opened a locked login: %q", msg)
	}
}
