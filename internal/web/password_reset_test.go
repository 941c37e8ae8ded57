package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/webtest"
)

var resetLink = regexp.MustCompile(`https?://\S+/password/reset/verify\?token=[A-Za-z0-9_-]+`)

func TestPasswordResetEndsEverySession(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "reset@example.jp", "OldPass123")

	elsewhere := env.Client(t) // signed in on another device
	if res := login(elsewhere, "reset@example.jp", "OldPass123"); res.Status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", res.Status)
	}
	if res := elsewhere.Get("/mypage"); res.Status != http.StatusOK {
		t.Fatalf("mypage before: %d", res.Status)
	}

	c := env.Client(t)
	loginPage := c.Get("/login")
	bodyHas(t, loginPage.Body, `href="/password/forgot"`, "パスワードを忘れた方はこちら")
	c.Get("/password/forgot")
	res := c.PostForm("/password/forgot", url.Values{"email": {"ＲＥＳＥＴ＠example.jp"}})
	if res.Status != http.StatusSeeOther || res.Location != "/password/forgot/sent" {
		t.Fatalf("forgot: %d %s", res.Status, res.Location)
	}
	m := env.WaitMail(t, "reset@example.jp", "パスワード再設定用URLのご案内")
	link := strings.TrimPrefix(resetLink.FindString(m.Body), env.URL)
	if link == "" {
		t.Fatalf("no link:\n%s", m.Body)
	}
	bodyHas(t, m.Body, "テスト診療所", "1回のみ有効")

	if res := c.Get(link); res.Status != http.StatusSeeOther || res.Location != "/password/reset" {
		t.Fatalf("open link: %d %s", res.Status, res.Location)
	}
	page := c.Get("/password/reset")
	bodyHas(t, page.Body, "reset@example.jp", "パスワードを再設定する")

	for _, tc := range []struct{ pw, confirm, msg string }{
		{"short1", "short1", "パスワードは8文字以上で入力してください。"},
		{"reset@example.jp", "reset@example.jp", "パスワードは半角英数字のみで入力してください。"},
		{"NewPass123", "NewPass124", "パスワード(確認)がパスワードと一致しません。"},
	} {
		res := c.PostForm("/password/reset", url.Values{"password": {tc.pw}, "password_confirm": {tc.confirm}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", tc.pw, res.Status)
		}
		bodyHas(t, res.Body, form.Banner, tc.msg)
	}
	res = c.PostForm("/password/reset", url.Values{"password": {"NewPass123"}, "password_confirm": {"NewPass123"}})
	if res.Status != http.StatusSeeOther || res.Location != "/password/reset/done" {
		t.Fatalf("reset: %d %s", res.Status, res.Location)
	}
	bodyHas(t, c.Get("/password/reset/done").Body, "パスワードの再設定が完了しました")
	notice := env.WaitMail(t, "reset@example.jp", "パスワード変更完了のお知らせ")
	bodyHas(t, notice.Body, "テスト診療所", "ログアウトされています")

	// The other device's session ended.
	if res := elsewhere.Get("/mypage"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/login") {
		t.Errorf("other session after reset: %d %s", res.Status, res.Location)
	}
	// The link is spent; the old password is gone, the new one works.
	if res := env.Client(t).Get(link); res.Status != http.StatusGone {
		t.Errorf("link reused: %d", res.Status)
	}
	if res := loginAs(t, env, "reset@example.jp", "OldPass123"); res.Status == http.StatusSeeOther {
		t.Error("old password still signs in")
	}
	if res := loginAs(t, env, "reset@example.jp", "NewPass123"); res.Status != http.StatusSeeOther {
		t.Errorf("new password: %d", res.Status)
	}
}

// loginAs signs in from a fresh browser.
func loginAs(t *testing.T, env *webtest.Env, email, pw string) *webtest.Response {
	return login(env.Client(t), email, pw)
}

func TestPasswordResetLiftsTheSignInLock(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "locked@example.jp", "OldPass123")
	c := env.Client(t)
	for i := 0; i < account.MaxFailures; i++ {
		login(c, "locked@example.jp", "Wrong0000")
	}
	if res := loginAs(t, env, "locked@example.jp", "OldPass123"); res.Status == http.StatusSeeOther {
		t.Fatal("not locked")
	}
	c.Get("/password/forgot")
	c.PostForm("/password/forgot", url.Values{"email": {"locked@example.jp"}})
	link := strings.TrimPrefix(resetLink.FindString(env.WaitMail(t, "locked@example.jp", "パスワード再設定用URLのご案内").Body), env.URL)
	c.Get(link)
	if res := c.PostForm("/password/reset", url.Values{"password": {"NewPass123"}, "password_confirm": {"NewPass123"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.Status)
	}
	if res := loginAs(t, env, "locked@example.jp", "NewPass123"); res.Status != http.StatusSeeOther {
		t.Errorf("still locked after the reset: %d", res.Status)
	}
}

func TestPasswordResetSameAnswerForUnknownAddress(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "known@example.jp", "OldPass123")
	answers := map[string]string{}
	for _, email := range []string{"known@example.jp", "unknown@example.jp"} {
		c := env.Client(t)
		c.Get("/password/forgot")
		res := c.PostForm("/password/forgot", url.Values{"email": {email}})
		if res.Status != http.StatusSeeOther || res.Location != "/password/forgot/sent" {
			t.Fatalf("%s: %d %s", email, res.Status, res.Location)
		}
		answers[email] = csrfValue.ReplaceAllString(strings.ReplaceAll(c.Get("/password/forgot/sent").Body, email, "ADDRESS"), "$1")
	}
	if answers["known@example.jp"] != answers["unknown@example.jp"] {
		t.Error("the answer differs between a known and an unknown address")
	}
	env.WaitMail(t, "known@example.jp", "パスワード再設定用URLのご案内")
	var n int
	if err := env.DB.QueryRow(context.Background(), `SELECT count(*) FROM mail_outbox WHERE to_addr = 'unknown@example.jp'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("mail to an unknown address: %d %v", n, err)
	}
}

func TestPasswordResetExpiredLink(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "late@example.jp", "OldPass123")
	c := env.Client(t)
	c.Get("/password/forgot")
	c.PostForm("/password/forgot", url.Values{"email": {"late@example.jp"}})
	link := strings.TrimPrefix(resetLink.FindString(env.WaitMail(t, "late@example.jp", "パスワード再設定用URLのご案内").Body), env.URL)
	c.Get(link)
	if _, err := env.DB.Exec(context.Background(), `UPDATE account_tokens SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	res := c.PostForm("/password/reset", url.Values{"password": {"NewPass123"}, "password_confirm": {"NewPass123"}})
	if res.Status != http.StatusGone {
		t.Fatalf("expired link: %d", res.Status)
	}
	bodyHas(t, res.Body, "このURLは無効です", `href="/password/forgot"`)
	if res := env.Client(t).Get("/password/reset"); res.Status != http.StatusGone {
		t.Errorf("form without a link: %d", res.Status)
	}
	if res := loginAs(t, env, "late@example.jp", "OldPass123"); res.Status != http.StatusSeeOther {
		t.Errorf("password changed by an expired link: %d", res.Status)
	}
}
