package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/config"
	"portal/internal/form"
	"portal/internal/webtest"
)

const subjectRegisterURL = "医療機関等向けポータルサイトアカウント登録用URLのご案内"

var registerLink = regexp.MustCompile(`https?://\S+/register/verify\?token=[A-Za-z0-9_-]+`)

// startRegistration asks for a registration link for email and returns it, read from the
// mail the test SMTP server received.
func startRegistration(t *testing.T, env *webtest.Env, c *webtest.Client, email string) string {
	t.Helper()
	c.Get("/register")
	res := c.PostForm("/register", url.Values{"email": {email}})
	if res.Status != http.StatusSeeOther || res.Location != "/register/sent" {
		t.Fatalf("POST /register: %d %s", res.Status, res.Location)
	}
	m := env.WaitMail(t, email, subjectRegisterURL)
	link := registerLink.FindString(m.Body)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", m.Body)
	}
	return strings.TrimPrefix(link, env.URL)
}

// validRegistration is a form every rule accepts for the facility 13/1/1234567.
func validRegistration() url.Values {
	return url.Values{
		"prefecture": {"13"}, "score_table": {"1"}, "facility_code": {"1234567"},
		"name": {"テスト診療所"}, "founder_name": {"試験太郎"}, "phone": {"03-1234-5678"},
		"contact_name": {"山田花子"}, "password": {"Passw0rd"}, "password_confirm": {"Passw0rd"},
	}
}

// bodyHas fails the test for each of wants that body lacks.
func bodyHas(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("missing %q", w)
		}
	}
}

var csrfValue = regexp.MustCompile(`(csrf[_-]token" (?:value|content)=")[^"]+`)

func countAccounts(t *testing.T, env *webtest.Env, where string, args ...any) int {
	t.Helper()
	var n int
	if err := env.DB.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegistrationByMailLink(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	c := env.Client(t)

	link := startRegistration(t, env, c, "new@clinic.example.jp")
	sent := c.Get("/register/sent")
	bodyHas(t, sent.Body, "仮登録メールを送信しました", "new@clinic.example.jp")

	res := c.Get(link)
	if res.Status != http.StatusSeeOther || res.Location != "/register/account" {
		t.Fatalf("open link: %d %s", res.Status, res.Location)
	}
	page := c.Get("/register/account")
	bodyHas(t, page.Body, "new@clinic.example.jp", "確認画面へ進む", `<option value="13">東京都</option>`)

	// Forgiving input: full-width digits and dashes, spaces; every error beside its field.
	bad := validRegistration()
	bad.Set("facility_code", "１２３４５６７")
	bad.Set("phone", "０３ー１２３４ー５６７８")
	bad.Set("name", "\u3000<script>alert(1)</script> ")
	bad.Set("founder_name", "")
	bad.Set("password", "password")
	bad.Set("password_confirm", "password")
	res = c.PostForm("/register/account", bad)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", res.Status)
	}
	bodyHas(t, res.Body, form.Banner, `href="#founder_name"`, `href="#password"`,
		"開設者氏名を入力してください。", "パスワードには英字と数字をどちらも含めてください。",
		`value="1234567"`, `value="03-1234-5678"`, `value="&lt;script&gt;alert(1)&lt;/script&gt;"`,
		`id="founder_name-error"`, `aria-invalid="true"`)
	if strings.Contains(res.Body, `value="password"`) || strings.Contains(res.Body, "<script>alert") {
		t.Error("password echoed or script not escaped")
	}

	res = c.PostForm("/register/account", validRegistration())
	if res.Status != http.StatusSeeOther || res.Location != "/register/confirm" {
		t.Fatalf("good form: %d %s\n%s", res.Status, res.Location, res.Body)
	}
	confirm := c.Get("/register/confirm")
	bodyHas(t, confirm.Body, "東京都", "1医科", "1234567", "テスト診療所", "試験太郎", "03-1234-5678", "山田花子",
		"new@clinic.example.jp", "上記の内容で確定する", "入力画面に戻る")
	if strings.Contains(confirm.Body, "Passw0rd") {
		t.Error("password shown on the confirmation page")
	}
	back := c.Get("/register/account")
	bodyHas(t, back.Body, `value="テスト診療所"`, `<option value="13" selected>`)

	csrf := c.CSRF
	res = c.PostForm("/register/confirm", url.Values{"csrf_token": {csrf}})
	if res.Status != http.StatusSeeOther || res.Location != "/register/done" {
		t.Fatalf("確定: %d %s", res.Status, res.Location)
	}
	// The resubmitted 確認画面 (back button, double click) makes no second account.
	again := c.PostForm("/register/confirm", url.Values{"csrf_token": {csrf}})
	if again.Status != http.StatusSeeOther || again.Location != "/register/done" {
		t.Errorf("resubmitted 確定: %d %s", again.Status, again.Location)
	}
	done := c.Get("/register/done")
	bodyHas(t, done.Body, "アカウント登録が完了しました", "new@clinic.example.jp")
	if n := countAccounts(t, env, "facility_id = $1", f.ID); n != 1 {
		t.Fatalf("accounts = %d", n)
	}
	m := env.WaitMail(t, "new@clinic.example.jp", "アカウント登録完了のご案内")
	bodyHas(t, m.Body, "テスト診療所", "山田花子 様", "new@clinic.example.jp", env.URL+"/login")

	// The link is single-use.
	if res := env.Client(t).Get(link); res.Status != http.StatusGone {
		t.Errorf("used link: %d, want 410", res.Status)
	}
	// The new account signs in.
	if res := login(env.Client(t), "new@clinic.example.jp", "Passw0rd"); res.Status != http.StatusSeeOther {
		t.Errorf("sign-in with the new account: %d", res.Status)
	}
}

func TestRegistrationSameAnswerForEveryAddress(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "known@example.jp", "Correct123")

	answers := map[string]string{}
	for _, email := range []string{"known@example.jp", "unknown@example.jp"} {
		c := env.Client(t)
		c.Get("/register")
		res := c.PostForm("/register", url.Values{"email": {email}})
		if res.Status != http.StatusSeeOther || res.Location != "/register/sent" {
			t.Fatalf("%s: %d %s", email, res.Status, res.Location)
		}
		answers[email] = csrfValue.ReplaceAllString(strings.ReplaceAll(c.Get("/register/sent").Body, email, "ADDRESS"), "$1")
	}
	if answers["known@example.jp"] != answers["unknown@example.jp"] {
		t.Error("the sent page differs between a registered and a new address")
	}
	// The owner of the registered address learns it is registered, by mail only.
	m := env.WaitMail(t, "known@example.jp", subjectRegisterURL)
	bodyHas(t, m.Body, "すでにアカウントが登録されています", env.URL+"/password/forgot")
	if registerLink.MatchString(m.Body) {
		t.Error("a registered address was sent a registration link")
	}
	env.WaitMail(t, "unknown@example.jp", subjectRegisterURL)
}

func TestRegistrationAddressErrors(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	c.Get("/register")
	for _, tc := range []struct{ email, msg string }{
		{"", "メールアドレスを入力してください。"},
		{"not-an-address", "メールアドレスの形式が正しくありません。"},
		{"a@example.jp\r\nBcc: victim@example.jp", form.MsgUnprintable},
	} {
		res := c.PostForm("/register", url.Values{"email": {tc.email}})
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%q: %d", tc.email, res.Status)
		}
		bodyHas(t, res.Body, form.Banner, tc.msg)
	}
	res := c.PostRaw("/register", "application/x-www-form-urlencoded", "csrf_token="+url.QueryEscape(c.CSRF)+"&email=%ff%fe%00")
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("invalid UTF-8: %d", res.Status)
	}
	// A full-width address is accepted and normalised.
	res = c.PostForm("/register", url.Values{"email": {"ｆｕｌｌ＠ｅｘａｍｐｌｅ．ｊｐ"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("full-width address: %d", res.Status)
	}
	env.WaitMail(t, "full@example.jp", subjectRegisterURL)
}

func TestRegistrationRulesNeedingTheMaster(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	taken := seedFacility(t, env, 13, 1, "1234567", "登録済み診療所")
	seedAccount(t, env, taken, "owner@example.jp", "Correct123")
	pending := seedFacility(t, env, 27, 4, "7654321", "案内文書送付済み薬局")
	if _, err := env.DB.Exec(context.Background(), `INSERT INTO provisional_credentials (facility_id, login_id, secret_hash)
		VALUES ($1, '427765432@01', '\x00')`, pending.ID); err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	link := startRegistration(t, env, c, "second@example.jp")
	c.Get(link)
	c.Get("/register/account")

	cases := []struct {
		name string
		set  map[string]string
		want []string
	}{
		{"not in the master", map[string]string{"facility_code": "7777777"}, []string{"医療機関等が見つかりません"}},
		{"another prefecture", map[string]string{"prefecture": "14"}, []string{"医療機関等が見つかりません"}},
		{"facility has an account", nil, []string{"この医療機関等のアカウントはすでに登録されています", `href="/password/forgot"`, "0800-080-4583"}},
		{"unused provisional credentials", map[string]string{"prefecture": "27", "score_table": "4", "facility_code": "7654321"},
			[]string{"アカウント登録案内文書", "仮メールアドレスと仮パスワードを紛失した", "0800-080-4583"}},
	}
	for _, tc := range cases {
		v := validRegistration()
		for k, s := range tc.set {
			v.Set(k, s)
		}
		res := c.PostForm("/register/account", v)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, res.Status)
			continue
		}
		bodyHas(t, html.UnescapeString(res.Body), append(tc.want, form.Banner, `href="#facility_code"`)...)
	}
	if n := countAccounts(t, env, "true"); n != 1 {
		t.Errorf("accounts = %d, want 1", n)
	}
}

func TestRegistrationAddressAlreadyUsed(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	other := seedFacility(t, env, 13, 3, "1234567", "テスト歯科")
	c := env.Client(t)
	link := startRegistration(t, env, c, "shared@example.jp")
	// Between the mail and the form, the address became another facility's login.
	seedAccount(t, env, other, "shared@example.jp", "Correct123")
	c.Get(link)
	c.Get("/register/account")
	res := c.PostForm("/register/account", validRegistration())
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("%d", res.Status)
	}
	bodyHas(t, res.Body, "1つのメールアドレスで登録できるのは1施設です", `href="#email"`)
}

func TestRegistrationLinkInvalid(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	c := env.Client(t)
	for _, p := range []string{"/register/verify?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/register/verify?token=%27%3B--",
		"/register/verify?token=" + strings.Repeat("x", 5000), "/register/verify", "/register/verify?token=%00%ff"} {
		res := c.Get(p)
		if res.Status != http.StatusGone {
			t.Errorf("%.40s: %d, want 410", p, res.Status)
		}
		bodyHas(t, res.Body, "このURLは無効です", `href="/register"`)
	}
	// Without an opened link, the form is not reachable.
	if res := c.Get("/register/account"); res.Status != http.StatusGone {
		t.Errorf("form without link: %d", res.Status)
	}
	// An expired link.
	link := startRegistration(t, env, c, "late@example.jp")
	if _, err := env.DB.Exec(context.Background(), `UPDATE account_tokens SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if res := c.Get(link); res.Status != http.StatusGone {
		t.Errorf("expired link: %d", res.Status)
	}
	// A link opened before it expired stops working on the form too.
	link2 := startRegistration(t, env, env.Client(t), "late2@example.jp")
	c2 := env.Client(t)
	c2.Get(link2)
	c2.Get("/register/account")
	if _, err := env.DB.Exec(context.Background(), `UPDATE account_tokens SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if res := c2.PostForm("/register/account", validRegistration()); res.Status != http.StatusGone {
		t.Errorf("form after expiry: %d", res.Status)
	}
	if n := countAccounts(t, env, "true"); n != 0 {
		t.Errorf("accounts = %d", n)
	}
}

func TestRegistrationHostileInput(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	c := env.Client(t)
	link := startRegistration(t, env, c, "hostile@example.jp")
	c.Get(link)
	c.Get("/register/account")
	cases := []struct {
		name, field, value, msg string
	}{
		{"NUL", "name", "医療\x00機関", form.MsgUnprintable},
		{"escape sequence", "contact_name", "\x1b[31m赤", form.MsgUnprintable},
		{"bidi override", "founder_name", "abc\u202edcba", form.MsgUnprintable},
		{"huge", "name", strings.Repeat("長", form.MaxField+1), form.MsgTooLong},
		{"SQL in the code", "facility_code", "1' OR '1'='1", "医療機関等コードは半角数字7桁で入力してください。"},
		{"select out of range", "prefecture", "99", "都道府県を選択肢から選択してください。"},
		{"select not a number", "score_table", "1; DROP TABLE accounts", "点数表コードを選択してください。"},
		{"password with NUL", "password", "Passw0rd\x00", form.MsgUnprintable},
	}
	for _, tc := range cases {
		v := validRegistration()
		v.Set(tc.field, tc.value)
		res := c.PostForm("/register/account", v)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, res.Status)
			continue
		}
		if !strings.Contains(html.UnescapeString(res.Body), tc.msg) || !strings.Contains(res.Body, `href="#`+tc.field+`"`) {
			t.Errorf("%s: no %q beside %s", tc.name, tc.msg, tc.field)
		}
	}
	if n := countAccounts(t, env, "true"); n != 0 {
		t.Errorf("accounts = %d", n)
	}
}

func TestRegistrationLookupFillsFromTheMaster(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	seedFacility(t, env, 13, 1, "1234567", "マスタ診療所")
	c := env.Client(t)
	link := startRegistration(t, env, c, "lookup@example.jp")
	c.Get(link)
	c.Get("/register/account")
	res := c.PostForm("/register/lookup", url.Values{"prefecture": {"13"}, "score_table": {"1"}, "facility_code": {"１２３４５６７"},
		"contact_name": {"山田花子"}, "phone": {"03-9999-9999"}, "password": {"Passw0rd"}})
	if res.Status != http.StatusOK {
		t.Fatalf("lookup: %d", res.Status)
	}
	bodyHas(t, res.Body, `value="マスタ診療所"`, `value="医療法人テスト会"`, `value="03-9999-9999"`, `value="山田花子"`,
		`value="1234567"`, "支払基金で把握している医療機関等名")
	if strings.Contains(res.Body, form.Banner) || strings.Contains(res.Body, `value="Passw0rd"`) {
		t.Error("lookup showed errors for fields not yet filled, or echoed the password")
	}
	res = c.PostForm("/register/lookup", url.Values{"prefecture": {"13"}, "score_table": {"1"}, "facility_code": {"7777777"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown code: %d", res.Status)
	}
	bodyHas(t, res.Body, "医療機関等が見つかりません")
	if n := countAccounts(t, env, "true"); n != 0 {
		t.Errorf("lookup made an account")
	}
}

// TestRegistrationFiftyAtOnce: fifty people, each with their own verified address, press
// 確定 for the same facility at the same moment; one account results and the others are
// told, beside the code, that the facility is registered.
func TestRegistrationFiftyAtOnce(t *testing.T) {
	t.Parallel()
	// Fifty people means fifty clients, told apart as behind a load balancer: from one
	// address, fifty registrations would be over that client's limit.
	env := webtest.New(t, func(c *config.Config) { c.TrustedProxyHeader = "X-Forwarded-For" })
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	const n = 50
	clients := make([]*webtest.Client, n)
	for i := range clients {
		c := env.Client(t)
		c.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
		email := "race" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.jp"
		c.Get(startRegistration(t, env, c, email))
		c.Get("/register/account")
		if res := c.PostForm("/register/account", validRegistration()); res.Status != http.StatusSeeOther {
			t.Fatalf("client %d form: %d", i, res.Status)
		}
		c.Get("/register/confirm")
		clients[i] = c
	}
	results := make(chan *webtest.Response, n)
	start := make(chan struct{})
	for _, c := range clients {
		go func() {
			<-start
			results <- c.PostForm("/register/confirm", nil)
		}()
	}
	close(start)
	won, lost := 0, 0
	for range n {
		res := <-results
		switch {
		case res.Status == http.StatusSeeOther && res.Location == "/register/done":
			won++
		case res.Status == http.StatusConflict && strings.Contains(res.Body, "この医療機関等のアカウントはすでに登録されています"):
			lost++
		default:
			t.Errorf("unexpected answer %d %s", res.Status, res.Location)
		}
	}
	if won != 1 || lost != n-1 {
		t.Errorf("won %d, lost %d", won, lost)
	}
	if got := countAccounts(t, env, "facility_id = $1", f.ID); got != 1 {
		t.Errorf("accounts = %d, want 1", got)
	}
}
