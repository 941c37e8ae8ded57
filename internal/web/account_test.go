package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/password"
	"portal/internal/webtest"
)

// seedFacility adds a master facility to the test's database.
func seedFacility(t testing.TB, env *webtest.Env, pref, table int, code, name string) account.Facility {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := env.DB.QueryRow(ctx, `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES ($1, $2, $3, '薬局', $4, '医療法人テスト会', '1000013', '東京都千代田区霞が関1-2-2', '03-1234-5678')
		RETURNING id`, pref, table, code, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(ctx, env.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// seedAccount registers an account for f.
func seedAccount(t testing.TB, env *webtest.Env, f account.Facility, email, pw string) account.Account {
	t.Helper()
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Create(context.Background(), env.DB, account.NewAccount{FacilityID: f.ID, Email: email, PasswordHash: hash,
		Profile: account.Profile{FacilityName: f.Name, FounderName: f.FounderName, Phone: f.Phone, ContactName: "山田花子"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func login(c *webtest.Client, email, pw string) *webtest.Response {
	c.Get("/login")
	return c.PostForm("/login", url.Values{"email": {email}, "password": {pw}})
}

// sessionCookie is the session token a response sets, or "".
func portalSessionCookie(res *webtest.Response) string {
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "portal_session" {
			return c.Value
		}
	}
	return ""
}

const msgLoginFailed = "メールアドレスまたはパスワードが正しくありません。"

func TestLoginSameAnswerForUnknownAddressAndWrongPassword(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "clinic@example.jp", "Correct123")
	c := env.Client(t)

	wrong := login(c, "clinic@example.jp", "correct123") // case matters
	unknown := login(c, "nobody@example.jp", "Correct123")
	for name, res := range map[string]*webtest.Response{"wrong password": wrong, "unknown address": unknown} {
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, msgLoginFailed) {
			t.Errorf("%s: %d, want 422 with the one message", name, res.Status)
		}
	}
	if !strings.Contains(unknown.Body, `value="nobody@example.jp"`) {
		t.Error("the typed address is not kept")
	}
	if strings.Contains(wrong.Body, "Correct") || strings.Contains(unknown.Body, "Correct123") {
		t.Error("the password is echoed back")
	}
	if res := login(c, "", ""); res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "メールアドレスを入力してください。") ||
		!strings.Contains(res.Body, "パスワードを入力してください。") || !strings.Contains(res.Body, "▲エラーが発生しました") {
		t.Errorf("empty form: %d", res.Status)
	}
	if res := login(c, "clinic@example.jp", "Correct123"); res.Status != http.StatusSeeOther || res.Location != "/mypage" {
		t.Errorf("good login: %d → %q", res.Status, res.Location)
	}
}

func TestLoginLocksAfterFiveFailuresAndSaysSo(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "clinic@example.jp", "Correct123")
	c := env.Client(t)
	var res *webtest.Response
	for i := 1; i <= account.MaxFailures; i++ {
		res = login(c, "clinic@example.jp", fmt.Sprintf("wrong%d", i))
		if i < account.MaxFailures && !strings.Contains(res.Body, msgLoginFailed) {
			t.Fatalf("failure %d: %d", i, res.Status)
		}
	}
	for _, want := range []string{"ログインを一時的に停止しています", "0800-080-4583", `value="clinic@example.jp"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("lock page lacks %q", want)
		}
	}
	// Until when, in the portal's one date format: a lock taken at 23:55 ends the next day.
	if !regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日（令和\d+年\d{1,2}月\d{1,2}日） \d{2}:\d{2}を過ぎてから`).MatchString(res.Body) {
		t.Errorf("lock page does not say until when in the one date format")
	}
	if res.Status != http.StatusTooManyRequests {
		t.Errorf("lock status %d", res.Status)
	}
	// The right password does not open a locked login, from any client.
	other := env.Client(t)
	if res := login(other, "clinic@example.jp", "Correct123"); res.Status != http.StatusTooManyRequests {
		t.Errorf("right password while locked: %d", res.Status)
	}
}

func TestSessionTokenRenewedAtSignInAndSignOut(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "clinic@example.jp", "Correct123")
	c := env.Client(t)
	// Visitors have no session (reading pages writes nothing); plant a token an attacker
	// chose (session fixation): sign-in must not keep it.
	const before = "attacker-chosen-session-token-0123456789abc"
	c.SetCookie("portal_session", before)
	c.Get("/login")
	res := c.PostForm("/login", url.Values{"email": {"clinic@example.jp"}, "password": {"Correct123"}})
	signedIn := portalSessionCookie(res)
	if signedIn == "" || signedIn == before {
		t.Fatalf("session token not renewed at sign-in: %q → %q", before, signedIn)
	}
	if res := c.Get("/mypage"); res.Status != 200 || !strings.Contains(res.Body, "マイページ") {
		t.Fatalf("mypage after sign-in: %d", res.Status)
	}
	res = c.PostForm("/logout", nil)
	after := portalSessionCookie(res)
	if res.Status != http.StatusSeeOther || after == signedIn {
		t.Errorf("session token not renewed at sign-out: %d %q", res.Status, after)
	}
	if res := c.Get("/mypage"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/login") {
		t.Errorf("mypage after sign-out: %d → %q", res.Status, res.Location)
	}
	// The signed-in token is dead even to someone who kept it.
	thief := env.Client(t)
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/mypage", nil)
	req.AddCookie(&http.Cookie{Name: "portal_session", Value: signedIn})
	r, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("old token still signed in: %d", r.StatusCode)
	}
	_ = thief
}

func TestLoginRefusesOpenRedirects(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "clinic@example.jp", "Correct123")
	for next, want := range map[string]string{
		"//evil.example/x":       "/mypage",
		"https://evil.example/":  "/mypage",
		"/\\evil.example":        "/mypage",
		"javascript:alert(1)":    "/mypage",
		"/account/edit":          "/account/edit",
		"/mypage/messages/1?x=1": "/mypage/messages/1?x=1",
	} {
		c := env.Client(t)
		c.Get("/login?next=" + url.QueryEscape(next))
		res := c.PostForm("/login", url.Values{"email": {"clinic@example.jp"}, "password": {"Correct123"}, "next": {next}})
		if res.Status != http.StatusSeeOther || res.Location != want {
			t.Errorf("next=%q: %d → %q, want %q", next, res.Status, res.Location, want)
		}
	}
	// A protected page sends a visitor to the login page and back.
	c := env.Client(t)
	res := c.Get("/account/edit")
	if res.Status != http.StatusSeeOther || res.Location != "/login?next=%2Faccount%2Fedit" {
		t.Fatalf("visitor: %d → %q", res.Status, res.Location)
	}
	page := c.Get(res.Location)
	if !strings.Contains(page.Body, `name="next" value="/account/edit"`) {
		t.Error("login page lost next")
	}
}

// setupForm is a correct forced edit.
func setupForm(email, pw string) url.Values {
	return url.Values{
		"name": {"サンプル薬局"}, "founder_name": {"サンプル太郎"}, "phone": {"０３－１２３４－５６７８"},
		"contact_name": {"薬局花子"}, "email": {email}, "email_confirm": {email},
		"password": {pw}, "password_confirm": {pw},
	}
}

func TestProvisionalLetterForcedEdit(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	f := seedFacility(t, env, 13, 4, "1234567", "サンプル薬局")
	letter, err := account.IssueOne(ctx, env.DB, env.Config.SessionSecret, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	res := login(c, letter.LoginID, letter.Password)
	if res.Status != http.StatusSeeOther || res.Location != "/account/setup" {
		t.Fatalf("provisional login: %d → %q", res.Status, res.Location)
	}
	for _, path := range []string{"/mypage", "/account/edit", "/account/setup/complete"} {
		if res := c.Get(path); res.Status != http.StatusSeeOther || res.Location != "/account/setup" {
			t.Errorf("provisional sign-in reached %s: %d → %q", path, res.Status, res.Location)
		}
	}
	page := c.Get("/account/setup")
	for _, want := range []string{"アカウント情報編集", "東京都", "4調剤", "1234567", `value="支払基金"`,
		`value="` + letter.LoginID + `"`, `value="サンプル薬局"`, "確認画面へ進む"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("forced edit lacks %q", want)
		}
	}
	if strings.Contains(page.Body, `name="prefecture"`) || strings.Contains(page.Body, `name="facility_code"`) {
		t.Error("fixed fields are editable")
	}

	// The pre-filled 担当者名 and address are refused; nothing typed is lost but the password.
	bad := setupForm(letter.LoginID, "Newpass123")
	bad.Set("contact_name", accountform.FundContact)
	res = c.PostForm("/account/setup", bad)
	for _, want := range []string{accountform.MsgContactIsFund, accountform.MsgEmailIsProvisional, "▲エラーが発生しました", `value="サンプル太郎"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("refused edit lacks %q", want)
		}
	}
	if res.Status != http.StatusUnprocessableEntity || strings.Contains(res.Body, "Newpass123") {
		t.Errorf("refused edit: %d (password echoed: %v)", res.Status, strings.Contains(res.Body, "Newpass123"))
	}
	// The letter's password cannot become the new one.
	same := setupForm("pharmacy@example.jp", letter.Password)
	if res := c.PostForm("/account/setup", same); !strings.Contains(res.Body, accountform.MsgPasswordIsProv) &&
		!strings.Contains(res.Body, accountform.MsgPasswordMix) {
		t.Errorf("the provisional password accepted as the new one: %d", res.Status)
	}

	res = c.PostForm("/account/setup", setupForm("pharmacy@example.jp", "Newpass123"))
	if res.Status != http.StatusSeeOther || res.Location != "/account/setup/confirm" {
		t.Fatalf("good edit: %d → %q\n%s", res.Status, res.Location, res.Body)
	}
	confirm := c.Get("/account/setup/confirm")
	for _, want := range []string{"上記の内容に同意して確定する", "入力画面に戻る", "03-1234-5678", "pharmacy@example.jp", "薬局花子"} {
		if !strings.Contains(confirm.Body, want) {
			t.Errorf("confirm page lacks %q", want)
		}
	}
	if strings.Contains(confirm.Body, "Newpass123") || strings.Contains(confirm.Body, "argon2id") {
		t.Error("the confirm page shows the password or its hash")
	}
	// Back to the input keeps what was typed.
	if back := c.Get("/account/setup"); !strings.Contains(back.Body, `value="pharmacy@example.jp"`) || !strings.Contains(back.Body, `value="薬局花子"`) {
		t.Error("入力画面に戻る lost the input")
	}
	csrf := c.CSRF
	res = c.PostForm("/account/setup/confirm", url.Values{"csrf_token": {csrf}})
	if res.Status != http.StatusSeeOther || res.Location != "/account/setup/complete" {
		t.Fatalf("confirm: %d → %q", res.Status, res.Location)
	}
	done := c.Get("/account/setup/complete")
	if done.Status != 200 || !strings.Contains(done.Body, "アカウント登録が完了しました") {
		t.Errorf("completion page: %d", done.Status)
	}
	// A resubmitted confirm page makes no second account.
	c.PostForm("/account/setup/confirm", url.Values{"csrf_token": {csrf}})
	var n int
	if err := env.DB.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d accounts after a resubmit", n)
	}
	if res := c.Get("/mypage"); res.Status != 200 || !strings.Contains(res.Body, "pharmacy@example.jp") {
		t.Errorf("mypage after completion: %d", res.Status)
	}
	m := env.WaitMail(t, "pharmacy@example.jp", "アカウント登録完了のご案内")
	if !strings.Contains(m.Body, "pharmacy@example.jp") || !strings.Contains(m.Body, env.URL+"/login") {
		t.Errorf("mail body:\n%s", m.Body)
	}

	// The letter's credentials stop working; the new ones work.
	other := env.Client(t)
	if res := login(other, letter.LoginID, letter.Password); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("used letter still signs in: %d", res.Status)
	}
	if res := login(other, "pharmacy@example.jp", "Newpass123"); res.Status != http.StatusSeeOther || res.Location != "/mypage" {
		t.Errorf("new credentials: %d → %q", res.Status, res.Location)
	}
	a, err := account.ByEmail(ctx, env.DB, "pharmacy@example.jp")
	if err != nil || a.Phone != "03-1234-5678" || a.ContactName != "薬局花子" || a.FacilityID != f.ID {
		t.Errorf("account %+v %v", a, err)
	}
}

func TestForcedEditRefusesAnAddressInUse(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 4, "1234567", "サンプル薬局")
	g := seedFacility(t, env, 13, 1, "7654321", "別の診療所")
	seedAccount(t, env, g, "taken@example.jp", "Correct123")
	letter, err := account.IssueOne(context.Background(), env.DB, env.Config.SessionSecret, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	login(c, letter.LoginID, letter.Password)
	c.Get("/account/setup")
	res := c.PostForm("/account/setup", setupForm("TAKEN@example.jp", "Newpass123"))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "既に別のアカウントで登録されています") {
		t.Errorf("taken address: %d", res.Status)
	}
}

func TestMypageShowsOnlyOwnFacility(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	f := seedFacility(t, env, 13, 1, "1234567", "自院クリニック")
	g := seedFacility(t, env, 27, 3, "7654321", "他院デンタル")
	seedAccount(t, env, f, "own@example.jp", "Correct123")
	seedAccount(t, env, g, "other@example.jp", "Correct123")
	if _, err := account.SendMessage(ctx, env.DB, f.ID, 0, "自院あての文書", "本文です。"); err != nil {
		t.Fatal(err)
	}
	theirs, err := account.SendMessage(ctx, env.DB, g.ID, 0, "他院あての文書", "秘密")
	if err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	login(c, "own@example.jp", "Correct123")
	res := c.Get("/mypage")
	for _, want := range []string{"自院クリニック", "1311234567", "own@example.jp", "自院あての文書", "顔認証付きカードリーダー申し込み", "オンライン資格確認利用申請", "準備中", "アカウント情報編集", "/account/email", "/account/password"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("mypage lacks %q", want)
		}
	}
	for _, leak := range []string{"他院デンタル", "other@example.jp", "他院あての文書"} {
		if strings.Contains(res.Body, leak) {
			t.Errorf("mypage shows another facility's %q", leak)
		}
	}
	if res := c.Get(fmt.Sprintf("/mypage/messages/%d", theirs.ID)); res.Status != http.StatusNotFound || strings.Contains(res.Body, "秘密") {
		t.Errorf("another facility's message: %d", res.Status)
	}
	if res := c.Get("/mypage/messages/abc"); res.Status != http.StatusNotFound {
		t.Errorf("bad message id: %d", res.Status)
	}
}

func TestAccountEdit(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	a := seedAccount(t, env, f, "clinic@example.jp", "Correct123")
	c := env.Client(t)
	login(c, "clinic@example.jp", "Correct123")
	page := c.Get("/account/edit")
	for _, want := range []string{"アカウント情報編集", "東京都", "1医科", "1234567", `value="山田花子"`, "マイページに戻る", "確認画面へ進む"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("edit page lacks %q", want)
		}
	}
	bad := url.Values{"name": {""}, "founder_name": {strings.Repeat("長", 201)}, "phone": {"0312345678"}, "contact_name": {accountform.FundContact}}
	res := c.PostForm("/account/edit", bad)
	for _, want := range []string{"医療機関等名を入力してください。", "開設者氏名は200文字以下で入力してください。", accountform.MsgPhone, accountform.MsgContactIsFund} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("refused edit lacks %q", want)
		}
	}
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("refused edit: %d", res.Status)
	}
	hostile := url.Values{"name": {"<script>alert(1)</script>"}, "founder_name": {"x\x00y"}, "phone": {"03-1234-5678"}, "contact_name": {"担当"},
		"prefecture": {"1"}, "facility_code": {"9999999"}}
	res = c.PostForm("/account/edit", hostile)
	if res.Status != http.StatusUnprocessableEntity || strings.Contains(res.Body, "<script>alert(1)") || !strings.Contains(res.Body, "使用できない文字") {
		t.Errorf("hostile edit: %d", res.Status)
	}
	good := url.Values{"name": {"テスト診療所 本院"}, "founder_name": {"試験太郎"}, "phone": {"０３（１２３４）５６７８"}, "contact_name": {"佐藤一郎"},
		"prefecture": {"1"}, "facility_code": {"9999999"}}
	if res := c.PostForm("/account/edit", good); res.Status != http.StatusSeeOther || res.Location != "/account/edit/confirm" {
		t.Fatalf("good edit: %d → %q", res.Status, res.Location)
	}
	if res := c.Get("/account/edit/confirm"); !strings.Contains(res.Body, "03-1234-5678") || !strings.Contains(res.Body, "上記の内容に同意して確定する") {
		t.Errorf("edit confirm page: %d", res.Status)
	}
	if res := c.PostForm("/account/edit/confirm", nil); res.Status != http.StatusSeeOther || res.Location != "/mypage" {
		t.Fatalf("edit confirm: %d → %q", res.Status, res.Location)
	}
	got, err := account.ByID(context.Background(), env.DB, a.ID)
	if err != nil || got.FacilityName != "テスト診療所 本院" || got.Phone != "03-1234-5678" || got.ContactName != "佐藤一郎" {
		t.Errorf("saved %+v %v", got, err)
	}
	if f2, _ := account.FacilityByID(context.Background(), env.DB, f.ID); f2.PrefectureCode != 13 || f2.Code != "1234567" {
		t.Error("the fixed fields changed")
	}
	if res := c.Get("/mypage"); !strings.Contains(res.Body, "アカウント情報を更新しました。") {
		t.Error("no notice after the edit")
	}
}

// TestLockHoldsAcrossInstances runs two portal instances on one database: failures on
// either count toward the same lock, and the lock holds on both.
func TestLockHoldsAcrossInstances(t *testing.T) {
	t.Parallel()
	a := webtest.New(t)
	f := seedFacility(t, a, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, a, f, "clinic@example.jp", "Correct123")
	b := a.AnotherInstance(t)
	ca, cb := a.Client(t), b.Client(t)
	for i := 1; i < account.MaxFailures; i++ {
		c := ca
		if i%2 == 0 {
			c = cb
		}
		if res := login(c, "clinic@example.jp", "Wrong0000"); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: %d", i, res.Status)
		}
	}
	if res := login(cb, "clinic@example.jp", "Wrong0000"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("fifth failure, on the other instance: %d", res.Status)
	}
	if res := login(ca, "clinic@example.jp", "Correct123"); res.Status != http.StatusTooManyRequests {
		t.Errorf("first instance let the locked login in: %d", res.Status)
	}
}

// TestNoticeLeadsToTheSameForcedEdit: a パスワード等通知書 (address unknown, FAQ Q11) signs in
// to the forced edit pre-filled from the facility's account, and completing it updates that
// account: the old password stops working, the new one works, the address may stay.
func TestNoticeLeadsToTheSameForcedEdit(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	f := seedFacility(t, env, 13, 1, "1234567", "通知書診療所")
	a := seedAccount(t, env, f, "forgotten@example.jp", "Oldpass123")
	notice, err := account.IssueOne(ctx, env.DB, env.Config.SessionSecret, f.ID, account.KindNotice)
	if err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	if res := login(c, notice.LoginID, notice.Password); res.Location != "/account/setup" {
		t.Fatalf("notice sign-in → %q", res.Location)
	}
	if page := c.Get("/account/setup"); !strings.Contains(page.Body, `value="山田花子"`) {
		t.Error("the forced edit of a notice is not pre-filled from the account")
	}
	if res := c.PostForm("/account/setup", setupForm("forgotten@example.jp", "Newpass123")); res.Status != http.StatusSeeOther {
		t.Fatalf("keeping the facility's own address: %d", res.Status)
	}
	c.Get("/account/setup/confirm")
	if res := c.PostForm("/account/setup/confirm", nil); res.Location != "/account/setup/complete" {
		t.Fatalf("confirm → %q", res.Location)
	}
	got, err := account.ByID(ctx, env.DB, a.ID)
	if err != nil || got.ContactName != "薬局花子" {
		t.Errorf("account after the notice: %+v %v", got, err)
	}
	other := env.Client(t)
	if res := login(other, "forgotten@example.jp", "Oldpass123"); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("old password still works: %d", res.Status)
	}
	if res := login(other, "forgotten@example.jp", "Newpass123"); res.Location != "/mypage" {
		t.Errorf("new password: %d → %q", res.Status, res.Location)
	}
}
