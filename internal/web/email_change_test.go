package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/form"
	"portal/internal/webtest"
)

var emailChangeLink = regexp.MustCompile(`https?://\S+/account/email/confirm\?token=[A-Za-z0-9_-]+`)

func TestEmailChange(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "old@example.jp", "Passw0rd1")
	other := seedFacility(t, env, 13, 3, "1234567", "テスト歯科")
	seedAccount(t, env, other, "taken@example.jp", "Passw0rd1")

	if res := env.Client(t).Get("/account/email"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/login") {
		t.Errorf("signed out: %d %s", res.Status, res.Location)
	}
	c, elsewhere := env.Client(t), env.Client(t)
	login(c, "old@example.jp", "Passw0rd1")
	login(elsewhere, "old@example.jp", "Passw0rd1")
	page := c.Get("/account/email")
	bodyHas(t, page.Body, "old@example.jp", "確認メールを送信する")

	for _, tc := range []struct{ email, confirm, field, msg string }{
		{"old@example.jp", "old@example.jp", "email", "現在のメールアドレスと同じです"},
		{"new@example.jp", "neu@example.jp", "email_confirm", "メールアドレス(確認)がメールアドレスと一致しません。"},
		{"taken@example.jp", "taken@example.jp", "email", "既に別のアカウントで登録されています"},
		{"", "", "email", "メールアドレスを入力してください。"},
	} {
		res := c.PostForm("/account/email", url.Values{"email": {tc.email}, "email_confirm": {tc.confirm}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", tc.email, res.Status)
		}
		bodyHas(t, res.Body, form.Banner, `href="#`+tc.field+`"`, tc.msg)
	}
	res := c.PostForm("/account/email", url.Values{"email": {"ｎｅｗ＠example.jp"}, "email_confirm": {"new@example.jp"}})
	if res.Status != http.StatusSeeOther || res.Location != "/account/email/sent" {
		t.Fatalf("request: %d %s", res.Status, res.Location)
	}
	bodyHas(t, c.Get("/account/email/sent").Body, "new@example.jp", "確認メールを送信しました")
	m := env.WaitMail(t, "new@example.jp", "メールアドレス変更確認用URLのご案内")
	link := strings.TrimPrefix(emailChangeLink.FindString(m.Body), env.URL)
	if link == "" {
		t.Fatalf("no link:\n%s", m.Body)
	}
	if strings.Contains(m.Body, "/account/email/confirm/") {
		t.Error("the token is in the path, where the access log records it")
	}
	// Opening the link changes nothing by itself (mail scanners open links).
	show := c.Get(link)
	bodyHas(t, show.Body, "new@example.jp", "メールアドレスを変更する")
	if n := countAccounts(t, env, "email = 'old@example.jp'"); n != 1 {
		t.Fatal("address changed by a GET")
	}
	u, _ := url.Parse(link)
	token := u.Query().Get("token")
	res = c.PostForm("/account/email/confirm", url.Values{"token": {token}})
	if res.Status != http.StatusSeeOther || res.Location != "/account/email/done" {
		t.Fatalf("confirm: %d %s", res.Status, res.Location)
	}
	bodyHas(t, c.Get("/account/email/done").Body, "メールアドレスの変更が完了しました", "new@example.jp")
	notice := env.WaitMail(t, "old@example.jp", "メールアドレス変更完了のお知らせ")
	bodyHas(t, notice.Body, "テスト診療所", "n***@example.jp")
	if strings.Contains(notice.Body, "new@example.jp") {
		t.Error("the old address was sent the new one in full")
	}

	// This session stays; the other device's ended.
	if res := c.Get("/mypage"); res.Status != http.StatusOK {
		t.Errorf("own session after change: %d", res.Status)
	}
	if res := elsewhere.Get("/mypage"); res.Status != http.StatusSeeOther {
		t.Errorf("other session after change: %d", res.Status)
	}
	if res := loginAs(t, env, "new@example.jp", "Passw0rd1"); res.Status != http.StatusSeeOther {
		t.Errorf("new address does not sign in: %d", res.Status)
	}
	if res := loginAs(t, env, "old@example.jp", "Passw0rd1"); res.Status == http.StatusSeeOther {
		t.Error("old address still signs in")
	}
	if res := c.PostForm("/account/email/confirm", url.Values{"token": {token}}); res.Status != http.StatusGone {
		t.Errorf("link reused: %d", res.Status)
	}
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "pw@example.jp", "OldPass123")
	if res := env.Client(t).Get("/account/password"); res.Status != http.StatusSeeOther {
		t.Errorf("signed out: %d", res.Status)
	}
	c, elsewhere := env.Client(t), env.Client(t)
	login(c, "pw@example.jp", "OldPass123")
	login(elsewhere, "pw@example.jp", "OldPass123")
	c.Get("/account/password")

	for _, tc := range []struct{ current, pw, confirm, field, msg string }{
		{"oldpass123", "NewPass456", "NewPass456", "current_password", "現在のパスワードが正しくありません。"},
		{"", "NewPass456", "NewPass456", "current_password", "現在のパスワードを入力してください。"},
		{"OldPass123", "OldPass123", "OldPass123", "password", "現在のパスワードと異なるパスワードを設定してください。"},
		{"OldPass123", "NewPass456", "", "password_confirm", "パスワード(確認)を入力してください。"},
		{"OldPass123", "新しいパス1234", "新しいパス1234", "password", "パスワードは半角英数字のみで入力してください。"},
	} {
		res := c.PostForm("/account/password", url.Values{"current_password": {tc.current}, "password": {tc.pw}, "password_confirm": {tc.confirm}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s/%s: %d", tc.current, tc.pw, res.Status)
		}
		bodyHas(t, res.Body, form.Banner, `href="#`+tc.field+`"`, tc.msg)
		if strings.Contains(res.Body, "NewPass456") || strings.Contains(res.Body, `value="OldPass123"`) {
			t.Error("a password was echoed back")
		}
	}
	res := c.PostForm("/account/password", url.Values{"current_password": {"OldPass123"}, "password": {"NewPass456"}, "password_confirm": {"NewPass456"}})
	if res.Status != http.StatusSeeOther || res.Location != "/account/password/done" {
		t.Fatalf("change: %d %s", res.Status, res.Location)
	}
	bodyHas(t, c.Get("/account/password/done").Body, "パスワードの変更が完了しました")
	env.WaitMail(t, "pw@example.jp", "パスワード変更完了のお知らせ")
	if res := c.Get("/mypage"); res.Status != http.StatusOK {
		t.Errorf("own session after change: %d", res.Status)
	}
	if res := elsewhere.Get("/mypage"); res.Status != http.StatusSeeOther {
		t.Errorf("other session after change: %d", res.Status)
	}
	if res := loginAs(t, env, "pw@example.jp", "NewPass456"); res.Status != http.StatusSeeOther {
		t.Errorf("new password: %d", res.Status)
	}
}

func TestPasswordChangeLocksAfterRepeatedWrongCurrentPassword(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "guess@example.jp", "OldPass123")
	c := env.Client(t)
	login(c, "guess@example.jp", "OldPass123")
	c.Get("/account/password")
	try := func(current string) *webtest.Response {
		return c.PostForm("/account/password", url.Values{"current_password": {current}, "password": {"NewPass456"}, "password_confirm": {"NewPass456"}})
	}
	for i := 1; i < account.MaxFailures; i++ {
		bodyHas(t, try("Guess0000").Body, "現在のパスワードが正しくありません。")
	}
	bodyHas(t, try("Guess0000").Body, "パスワード変更を一時的に停止しています")
	res := try("OldPass123")
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("right password while locked: %d", res.Status)
	}
	bodyHas(t, res.Body, "パスワード変更を一時的に停止しています")
	if res := loginAs(t, env, "guess@example.jp", "OldPass123"); res.Status != http.StatusSeeOther {
		t.Errorf("the password changed or sign-in locked: %d", res.Status)
	}
}

func TestEmailChangeAddressTakenBeforeConfirmation(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "mine@example.jp", "Passw0rd1")
	c := env.Client(t)
	login(c, "mine@example.jp", "Passw0rd1")
	c.Get("/account/email")
	c.PostForm("/account/email", url.Values{"email": {"wanted@example.jp"}, "email_confirm": {"wanted@example.jp"}})
	link := emailChangeLink.FindString(env.WaitMail(t, "wanted@example.jp", "メールアドレス変更確認用URLのご案内").Body)
	u, _ := url.Parse(link)
	other := seedFacility(t, env, 13, 3, "1234567", "テスト歯科")
	seedAccount(t, env, other, "wanted@example.jp", "Passw0rd1")
	c.Get(strings.TrimPrefix(link, env.URL))
	res := c.PostForm("/account/email/confirm", url.Values{"token": {u.Query().Get("token")}})
	if res.Status != http.StatusConflict {
		t.Fatalf("confirm onto a taken address: %d", res.Status)
	}
	bodyHas(t, res.Body, "メールアドレスを変更できませんでした", `href="/account/email"`)
	if n := countAccounts(t, env, "email = 'mine@example.jp'"); n != 1 {
		t.Error("the address changed")
	}
	if res := c.Get("/mypage"); res.Status != http.StatusOK {
		t.Errorf("session lost: %d", res.Status)
	}
}
