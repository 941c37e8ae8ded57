package web_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/operator"
	"portal/internal/webtest"
)

var versionField = regexp.MustCompile(`name="version" value="([^"]+)"`)

// fcOperator signs a new operator in on a fresh client.
func fcOperator(t *testing.T, env *webtest.Env, login, name string) *webtest.Client {
	t.Helper()
	adminCreateOperator(t, env, login, name, "Operator1234", operator.RoleOperator)
	c := env.Client(t)
	if res := adminLogin(c, login, "Operator1234"); res.Status != 303 {
		t.Fatalf("sign-in %s: %d", login, res.Status)
	}
	return c
}

// fcConfirm opens a step's confirmation page and returns the version it carries.
func fcConfirm(t *testing.T, c *webtest.Client, path string) string {
	t.Helper()
	res := c.Get(path)
	m := versionField.FindStringSubmatch(res.Body)
	if res.Status != 200 || m == nil {
		t.Fatalf("confirm page %s: %d %s", path, res.Status, res.Body)
	}
	return html.UnescapeString(m[1])
}

func TestAdminFacilitySearch(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env) // みなと診療所, 13-1-7654321, 03-0000-0001, minato@example.jp
	c := fcOperator(t, env, "op", "山田 担当")

	home := c.Get("/admin")
	if !strings.Contains(home.Body, `action="/admin/facilities"`) || !strings.Contains(home.Body, `name="q"`) {
		t.Fatal("the admin home has no search box")
	}
	for _, q := range []string{"7654321", "1317654321", "０３－００００－０００１", "0300000001", "ミナト", "みなと", "ﾐﾅﾄ", "MINATO@example.jp"} {
		res := c.Get("/admin/facilities?" + url.Values{"q": {q}}.Encode())
		if res.Status != 200 || !strings.Contains(res.Body, fmt.Sprintf(`href="/admin/facilities/%d"`, a.FacilityID)) {
			t.Errorf("search %q: %d", q, res.Status)
		}
	}
	frag := c.Get("/admin/facilities?fragment=1&q=" + url.QueryEscape("みなと"))
	if frag.Status != 200 || strings.Contains(frag.Body, "<html") || !strings.Contains(frag.Body, "みなと診療所") {
		t.Fatalf("fragment: %d %s", frag.Status, frag.Body)
	}
	for q, msg := range map[string]string{
		"あ":                              "名称は2文字以上で入力してください",
		strings.Repeat("長", 200):         "100文字以内",
		"12345":                          "医療機関等コード（7桁または10桁）",
		"<script>alert(1)</script>":      "該当する施設はありません",
		"' OR 1=1; DROP TABLE accounts;": "該当する施設はありません",
	} {
		res := c.Get("/admin/facilities?" + url.Values{"q": {q}}.Encode())
		if res.Status >= 500 || !strings.Contains(res.Body, msg) || strings.Contains(res.Body, "<script>alert(1)") {
			t.Errorf("search %q: %d, want %q", q, res.Status, msg)
		}
	}
	// 10,000 characters do not fit a URL: the 414 page says so.
	if res := c.Get("/admin/facilities?q=" + strings.Repeat("x", 10000)); res.Status != 414 || !strings.Contains(res.Body, "URLが長すぎます") {
		t.Errorf("10,000 characters: %d", res.Status)
	}
	// A facility never reaches the search.
	fc := env.Client(t)
	fc.Get("/login")
	login(fc, "minato@example.jp", "Facility1234")
	if res := fc.Get("/admin/facilities?q=7654321"); res.Status != 303 || !strings.HasPrefix(res.Location, "/admin/login") {
		t.Fatalf("facility on the search: %d %s", res.Status, res.Location)
	}
}

func TestAdminFacilityPageAndSteps(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	f := seedFacility(t, env, 13, 4, "2345678", "てすと薬局")
	letter, err := account.IssueOne(ctx, env.DB, env.Config.SessionSecret, f.ID, account.KindLetter)
	if err != nil {
		t.Fatal(err)
	}
	c := fcOperator(t, env, "op", "山田 担当")
	other := fcOperator(t, env, "op2", "佐藤 担当")
	page := fmt.Sprintf("/admin/facilities/%d", f.ID)

	res := c.Get(page)
	for _, want := range []string{"てすと薬局", "1342345678", letter.LoginID, "有効（未使用）", "仮ID発行済（未登録）", "施設マスタ", "申請の履歴", "操作履歴",
		page + "/delete-provisional", page + "/reissue-letter", page + "/registration-mail"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("facility page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, page+"/issue-notice") || strings.Contains(res.Body, page+"/unlock") {
		t.Error("steps offered that the facility's state does not allow")
	}
	if res := c.Get("/admin/facilities/999999"); res.Status != 404 {
		t.Errorf("unknown facility: %d", res.Status)
	}

	// Both operators open the delete page; the first deletes, with a reason.
	v1 := fcConfirm(t, c, page+"/delete-provisional")
	v2 := fcConfirm(t, other, page+"/delete-provisional")
	res = c.PostForm(page+"/delete-provisional", url.Values{"version": {v1}, "reason": {""}})
	if res.Status != 422 || !strings.Contains(res.Body, "理由を入力してください。") {
		t.Fatalf("no reason: %d", res.Status)
	}
	res = c.PostForm(page+"/delete-provisional", url.Values{"version": {v1}, "reason": {"案内文書を紛失"}})
	if res.Status != 200 || !strings.Contains(res.Body, "初めてご利用になる方") || !strings.Contains(res.Body, "仮メールアドレス・仮パスワードを削除しました") {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	// The second is told what changed, and is not offered the step again.
	res = other.PostForm(page+"/delete-provisional", url.Values{"version": {v2}, "reason": {"同じ電話"}})
	if res.Status != 409 || !strings.Contains(res.Body, "画面を開いた後に変更されました") ||
		!strings.Contains(res.Body, "山田 担当さんが「仮メールアドレス・仮パスワードの削除」を行いました。") || strings.Contains(res.Body, `name="version"`) {
		t.Fatalf("stale: %d %s", res.Status, res.Body)
	}
	res = c.Get(page)
	if !strings.Contains(res.Body, "削除済") || !strings.Contains(res.Body, "山田 担当：案内文書を紛失") {
		t.Errorf("the page does not show the deletion")
	}

	// Reissue the letter: the printable letter carries the print vendor's row.
	v := fcConfirm(t, c, page+"/reissue-letter")
	res = c.PostForm(page+"/reissue-letter", url.Values{"version": {v}, "reason": {"再送付の依頼"}})
	if res.Status != 200 || strings.Contains(res.Body, `class="admin-nav"`) || !strings.Contains(res.Body, "/static/css/print.css") {
		t.Fatalf("letter: %d", res.Status)
	}
	var live account.Letter
	live, err = account.LetterData(ctx, env.DB, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	pw := regexp.MustCompile(`pa[a-z2-9]{15}`).FindString(res.Body)
	live.Password = pw
	for i, cell := range account.LetterRecord(live) {
		if i == len(account.LetterColumns)-1 {
			continue // 発行日 is shown in the one date format
		}
		if cell != "" && !strings.Contains(res.Body, html.EscapeString(cell)) {
			t.Errorf("letter lacks %s %q", account.LetterColumns[i], cell)
		}
	}
	if p, err := account.SignIn(ctx, env.DB, env.Config.SessionSecret, live.LoginID, pw); err != nil || !p.Provisional() {
		t.Fatalf("the printed letter does not sign in: %v", err)
	}
	// A registration link to the address the caller gives.
	v = fcConfirm(t, c, page+"/registration-mail")
	res = c.PostForm(page+"/registration-mail", url.Values{"version": {v}, "email": {"not-an-address"}})
	if res.Status != 422 || !strings.Contains(res.Body, `id="email-error"`) {
		t.Fatalf("bad address: %d", res.Status)
	}
	res = c.PostForm(page+"/registration-mail", url.Values{"version": {v}, "email": {"tesuto@example.jp"}})
	if res.Status != 303 {
		t.Fatalf("registration mail: %d %s", res.Status, res.Body)
	}
	env.WaitMail(t, "tesuto@example.jp", "アカウント登録用URLのご案内")
	if res := c.Get(page); !strings.Contains(res.Body, "アカウント登録用URLのメールを送信しました") || !strings.Contains(res.Body, "tesuto@example.jp") {
		t.Error("no notice or mail on the facility page after the registration mail")
	}
}

func TestAdminFacilityUnlockAndReset(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	c := fcOperator(t, env, "op", "山田 担当")
	page := fmt.Sprintf("/admin/facilities/%d", a.FacilityID)
	fc := env.Client(t)
	fc.Get("/login")
	for range account.MaxFailures {
		login(fc, "minato@example.jp", "wrong-password")
	}
	res := c.Get(page)
	if !strings.Contains(res.Body, "ログイン停止中") || !strings.Contains(res.Body, page+"/unlock") {
		t.Fatalf("locked account not shown: %s", res.Body)
	}
	v := fcConfirm(t, c, page+"/unlock")
	if res := c.PostForm(page+"/unlock", url.Values{"version": {v}}); res.Status != 303 {
		t.Fatalf("unlock: %d %s", res.Status, res.Body)
	}
	env.WaitMail(t, "minato@example.jp", "ログイン停止解除のお知らせ")
	if res := login(fc, "minato@example.jp", "Facility1234"); res.Status != 303 {
		t.Fatalf("sign-in after the unlock: %d", res.Status)
	}
	v = fcConfirm(t, c, page+"/password-reset-mail")
	if res := c.PostForm(page+"/password-reset-mail", url.Values{"version": {v}}); res.Status != 303 {
		t.Fatalf("reset mail: %d", res.Status)
	}
	env.WaitMail(t, "minato@example.jp", "パスワード再設定用URLのご案内")
	res = c.Get(page)
	for _, want := range []string{"最終ログイン日時", "ログイン停止の解除", "パスワード再設定メールの送信", "ログイン停止解除のお知らせ"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// The facility page offers 問い合わせを起票, which opens the phone caller's case for it.
func TestFacilityPageOpensAnInquiry(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	adminCreateOperator(t, env, "iqop", "受付 一郎", "OpPassw0rd1", operator.RoleOperator)
	op := env.Client(t)
	adminLogin(op, "iqop", "OpPassw0rd1")
	page := op.Get(fmt.Sprintf("/admin/facilities/%d", a.FacilityID))
	want := fmt.Sprintf(`href="/admin/inquiries/new?facility=%d"`, a.FacilityID)
	if page.Status != 200 || !strings.Contains(page.Body, want) {
		t.Fatalf("facility page lacks %s: %d", want, page.Status)
	}
	if res := op.Get(fmt.Sprintf("/admin/inquiries/new?facility=%d", a.FacilityID)); res.Status != 200 || !strings.Contains(res.Body, "みなと診療所") {
		t.Errorf("new case for the facility: %d", res.Status)
	}
}
