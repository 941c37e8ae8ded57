package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/operator"
	"portal/internal/password"
	"portal/internal/webtest"
)

// adminCreateOperator creates a back-office login in the test's database, its second
// factor already set up (webtest.Env.CreateOperator); sign it in with adminLogin.
func adminCreateOperator(t *testing.T, env *webtest.Env, login, name, plain string, role operator.Role) operator.Operator {
	t.Helper()
	return env.CreateOperator(t, login, name, plain, role)
}

// adminFacilityAccount creates a facility with a registered account.
func adminFacilityAccount(t *testing.T, env *webtest.Env) account.Account {
	t.Helper()
	ctx := context.Background()
	var fid int64
	err := env.DB.QueryRow(ctx, `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES (13, 1, '7654321', '診療所', 'みなと診療所', '港太郎', '105-0011', '東京都港区芝公園4-2-8', '03-0000-0001')
		RETURNING id`).Scan(&fid)
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := password.Hash("Facility1234")
	a, err := account.Create(ctx, env.DB, account.NewAccount{FacilityID: fid, Email: "minato@example.jp", PasswordHash: hash,
		Profile: account.Profile{FacilityName: "みなと診療所", FounderName: "港太郎", Phone: "03-0000-0001", ContactName: "受付"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func adminSessionCookie(res *webtest.Response) string {
	for _, c := range res.Header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(c, "portal_session="); ok {
			return strings.SplitN(v, ";", 2)[0]
		}
	}
	return ""
}

// adminLogin signs c in to the back office: the password, then the second factor's
// current code (webtest.Client.AdminLogin). Every test that signs an operator in calls it.
func adminLogin(c *webtest.Client, login, plain string) *webtest.Response {
	return c.AdminLogin(login, plain)
}

func adminAuditActions(t *testing.T, env *webtest.Env, operatorID int64) []string {
	t.Helper()
	entries, err := operator.AuditEntries(context.Background(), env.DB, operator.AuditQuery{OperatorID: operatorID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append([]string{e.Action}, out...)
	}
	return out
}

func TestAdminSignInAndOut(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	o := adminCreateOperator(t, env, "tanaka", "田中 花子", "Operator1234", operator.RoleOperator)
	c := env.Client(t)

	if res := c.Get("/admin"); res.Status != 303 || res.Location != "/admin/login" {
		t.Fatalf("visitor on /admin: %d %q", res.Status, res.Location)
	}
	if res := c.Get("/admin/"); res.Status != 301 || res.Location != "/admin" {
		t.Fatalf("/admin/: %d %q", res.Status, res.Location)
	}
	page := c.Get("/admin/login")
	if page.Status != 200 || !strings.Contains(page.Body, "管理画面ログイン") || page.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(page.Body, `name="robots" content="noindex`) {
		t.Fatalf("login page: %d %v", page.Status, page.Header)
	}
	// Visitors have no session; plant a token an attacker chose (session fixation).
	const before = "attacker-chosen-session-token-0123456789abc"
	c.SetCookie("portal_session", before)

	// Empty fields: a message beside each.
	res := c.PostForm("/admin/login", url.Values{"login": {""}, "password": {""}})
	if res.Status != 422 || !strings.Contains(res.Body, "ログインIDを入力してください。") || !strings.Contains(res.Body, "パスワードを入力してください。") ||
		!strings.Contains(res.Body, `aria-invalid="true"`) {
		t.Fatalf("empty form: %d %s", res.Status, res.Body)
	}
	// A wrong password and an unknown login get the same answer; the login is kept, the password is not.
	wrong := c.PostForm("/admin/login", url.Values{"login": {"tanaka"}, "password": {"Wrong-Secret-99"}})
	unknown := c.PostForm("/admin/login", url.Values{"login": {"nobody"}, "password": {"Wrong-Secret-99"}})
	for _, r := range []*webtest.Response{wrong, unknown} {
		if r.Status != 422 || !strings.Contains(r.Body, "ログインIDまたはパスワードが正しくありません。") || strings.Contains(r.Body, "Wrong-Secret-99") {
			t.Fatalf("failed sign-in: %d %s", r.Status, r.Body)
		}
	}
	if !strings.Contains(wrong.Body, `value="tanaka"`) {
		t.Error("login not kept after a failure")
	}
	// Hostile input is refused beside the field, never a 500, never echoed raw.
	res = c.PostForm("/admin/login", url.Values{"login": {"<script>alert(1)</script>\x00"}, "password": {"x' OR '1'='1"}})
	if res.Status != 422 || strings.Contains(res.Body, "<script>alert") || !strings.Contains(res.Body, "使用できない文字が含まれています。") {
		t.Fatalf("hostile login: %d %s", res.Status, res.Body)
	}
	res = c.PostForm("/admin/login", url.Values{"login": {strings.Repeat("a", 5000)}, "password": {"x"}})
	if res.Status != 422 || !strings.Contains(res.Body, "ログインIDまたはパスワードが正しくありません。") {
		t.Fatalf("over-long login: %d", res.Status)
	}

	res = c.PostForm("/admin/login", url.Values{"login": {"tanaka"}, "password": {"Operator1234"}})
	if res.Status != 303 || res.Location != "/admin/login/code" {
		t.Fatalf("right password: %d %q %s", res.Status, res.Location, res.Body)
	}
	pending := adminSessionCookie(res)
	if pending == "" || pending == before {
		t.Fatalf("session token not renewed after the password: %q -> %q", before, pending)
	}
	// The password alone opens nothing.
	if res := c.Get("/admin"); res.Status != 303 || res.Location != "/admin/login" {
		t.Fatalf("back office after the password only: %d %q", res.Status, res.Location)
	}
	if res := c.Get("/admin/login/code"); res.Status != 200 || !strings.Contains(res.Body, "確認コードの入力") {
		t.Fatalf("code page: %d", res.Status)
	}
	res = c.PostForm("/admin/login/code", url.Values{"code": {""}})
	if res.Status != 422 || !strings.Contains(res.Body, "確認コードを入力してください。") {
		t.Fatalf("empty code: %d", res.Status)
	}
	res = c.PostForm("/admin/login/code", url.Values{"code": {"000000"}})
	if res.Status != 422 || !strings.Contains(res.Body, "確認コードが正しくありません。") {
		t.Fatalf("wrong code: %d", res.Status)
	}
	res = c.PostForm("/admin/login/code", url.Values{"code": {env.OperatorCode(t, "tanaka")}})
	if res.Status != 303 || res.Location != "/admin" {
		t.Fatalf("good code: %d %q %s", res.Status, res.Location, res.Body)
	}
	if after := adminSessionCookie(res); after == "" || after == pending {
		t.Fatalf("session token not renewed on sign-in: %q -> %q", pending, after)
	}
	home := c.Get("/admin")
	if home.Status != 200 || !strings.Contains(home.Body, `<h1 id="search-title">施設検索</h1>`) || !strings.Contains(home.Body, `>管理メニュー</h2>`) || !strings.Contains(home.Body, "田中 花子（オペレーター）") ||
		home.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("admin home: %d %s", home.Status, home.Body)
	}
	if !strings.Contains(home.Body, "施設検索") || !strings.Contains(home.Body, "準備中") || strings.Contains(home.Body, "操作履歴") {
		t.Error("operator menu: want operator entries, 準備中 marks, no supervisor entries")
	}
	if res := c.Get("/admin/login"); res.Status != 303 || res.Location != "/admin" {
		t.Errorf("signed-in operator on the login page: %d %q", res.Status, res.Location)
	}

	res = c.PostForm("/admin/logout", nil)
	if res.Status != 303 || res.Location != "/admin/login" {
		t.Fatalf("logout: %d %q", res.Status, res.Location)
	}
	if res := c.Get("/admin/login"); !strings.Contains(res.Body, "ログアウトしました。") {
		t.Error("no notice after logout")
	}
	if res := c.Get("/admin"); res.Status != 303 {
		t.Fatalf("after logout /admin: %d", res.Status)
	}
	got := strings.Join(adminAuditActions(t, env, o.ID), " ")
	want := "operator.signin_failed operator.code_failed operator.signin operator.signout"
	if got != want {
		t.Fatalf("audit trail %q, want %q", got, want)
	}
}

func TestAdminNextPage(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "sv", "佐藤 一郎", "Supervisor1234", operator.RoleSupervisor)
	c := env.Client(t)
	res := c.Get("/admin/audit")
	if res.Status != 303 || res.Location != "/admin/login?next=%2Fadmin%2Faudit" {
		t.Fatalf("visitor on a back-office page: %d %q", res.Status, res.Location)
	}
	c.Get(res.Location)
	signIn := func(c *webtest.Client, next string) *webtest.Response {
		t.Helper()
		res := c.PostForm("/admin/login", url.Values{"login": {"sv"}, "password": {"Supervisor1234"}, "next": {next}})
		if res.Status != 303 || res.Location != "/admin/login/code" {
			t.Fatalf("password step: %d %q", res.Status, res.Location)
		}
		return c.PostForm("/admin/login/code", url.Values{"code": {env.OperatorCode(t, "sv")}})
	}
	if res := signIn(c, "/admin/audit"); res.Status != 303 || res.Location != "/admin/audit" {
		t.Fatalf("back to the page asked for: %d %q", res.Status, res.Location)
	}
	// No open redirect, and no detour out of the back office.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/mypage", "/\\evil.example"} {
		c := env.Client(t)
		c.Get("/admin/login?next=" + url.QueryEscape(next))
		if res := signIn(c, next); res.Status != 303 || res.Location != "/admin" {
			t.Errorf("next=%q: %d %q", next, res.Status, res.Location)
		}
	}
}

func TestAdminLockOut(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "yamada", "山田 次郎", "Operator1234", operator.RoleOperator)
	c := env.Client(t)
	c.Get("/admin/login")
	var res *webtest.Response
	for i := 1; i <= account.MaxFailures; i++ {
		res = c.PostForm("/admin/login", url.Values{"login": {"yamada"}, "password": {"wrong-" + strconv.Itoa(i)}})
		if i < account.MaxFailures && res.Status != 422 {
			t.Fatalf("failure %d: %d", i, res.Status)
		}
	}
	if res.Status != 429 || !strings.Contains(res.Body, "続けて失敗したため") {
		t.Fatalf("after %d failures: %d %s", account.MaxFailures, res.Status, res.Body)
	}
	res = c.PostForm("/admin/login", url.Values{"login": {"yamada"}, "password": {"Operator1234"}})
	if res.Status != 429 {
		t.Fatalf("right password while locked: %d", res.Status)
	}
	// The lock is per login: another client with another login is not held up.
	adminCreateOperator(t, env, "kato", "加藤 三郎", "Operator1234", operator.RoleOperator)
	if res := adminLogin(env.Client(t), "kato", "Operator1234"); res.Status != 303 {
		t.Fatalf("other login: %d", res.Status)
	}
}

func TestAdminSupervisorOnlyPage(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "op", "オペ 太郎", "Operator1234", operator.RoleOperator)
	adminCreateOperator(t, env, "sv", "スーパー 花子", "Supervisor1234", operator.RoleSupervisor)

	op := env.Client(t)
	adminLogin(op, "op", "Operator1234")
	res := op.Get("/admin/audit")
	if res.Status != 403 || !strings.Contains(res.Body, "この画面はスーパーバイザーのみ利用できます。") {
		t.Fatalf("operator on a supervisor page: %d %s", res.Status, res.Body)
	}

	sv := env.Client(t)
	adminLogin(sv, "sv", "Supervisor1234")
	res = sv.Get("/admin/audit")
	if res.Status != 200 || !strings.Contains(res.Body, "<h1>操作履歴</h1>") || !strings.Contains(res.Body, "オペ 太郎") ||
		!strings.Contains(res.Body, "ログイン") || !strings.Contains(res.Body, `aria-current="page"`) {
		t.Fatalf("supervisor on the audit log: %d %s", res.Status, res.Body)
	}
	if home := sv.Get("/admin"); !strings.Contains(home.Body, `href="/admin/audit"`) || !strings.Contains(home.Body, "スーパー 花子（スーパーバイザー）") {
		t.Error("supervisor menu lacks the audit log")
	}
}

func TestFacilityAndOperatorSessionsDoNotMix(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	adminCreateOperator(t, env, "op", "オペ 太郎", "Operator1234", operator.RoleOperator)
	c := env.Client(t)
	c.Get("/admin/login")
	facilitySignIn := func() {
		t.Helper()
		if res := c.PostForm("/test/facility-signin", url.Values{"account_id": {strconv.FormatInt(a.ID, 10)}}); res.Status != 204 {
			t.Fatalf("facility sign-in: %d", res.Status)
		}
	}

	facilitySignIn()
	if res := c.Get("/test/account-only"); res.Status != 200 || !strings.Contains(res.Body, "みなと診療所") {
		t.Fatalf("facility page for a facility: %d %s", res.Status, res.Body)
	}
	if res := c.Get("/admin"); res.Status != 303 || res.Location != "/admin/login" {
		t.Fatalf("facility session on /admin: %d %q", res.Status, res.Location)
	}
	if res := c.Get("/admin/audit"); res.Status != 303 || !strings.HasPrefix(res.Location, "/admin/login") {
		t.Fatalf("facility session on a supervisor page: %d %q", res.Status, res.Location)
	}

	// Signing in as an operator drops the facility.
	if res := adminLogin(c, "op", "Operator1234"); res.Status != 303 {
		t.Fatalf("operator sign-in: %d", res.Status)
	}
	for _, path := range []string{"/test/account-only", "/mypage"} {
		if res := c.Get(path); res.Status != 303 || !strings.HasPrefix(res.Location, "/login") {
			t.Fatalf("operator session on facility page %s: %d %q", path, res.Status, res.Location)
		}
	}
	if res := c.Get("/"); strings.Contains(res.Body, "みなと診療所") {
		t.Error("public header still shows the facility after the operator signed in")
	}
	if res := c.Get("/admin"); res.Status != 200 {
		t.Fatalf("operator on /admin: %d", res.Status)
	}

	// And signing in as a facility drops the operator.
	c.Get("/admin")
	facilitySignIn()
	if res := c.Get("/admin"); res.Status != 303 {
		t.Fatalf("operator survived a facility sign-in: %d", res.Status)
	}
	if res := c.Get("/test/account-only"); res.Status != 200 {
		t.Fatalf("facility after the switch: %d", res.Status)
	}

	// The same through the facility login page itself.
	if res := adminLogin(c, "op", "Operator1234"); res.Status != 303 {
		t.Fatalf("operator sign-in again: %d", res.Status)
	}
	c.Get("/login")
	if res := c.PostForm("/login", url.Values{"email": {"minato@example.jp"}, "password": {"Facility1234"}}); res.Status != 303 {
		t.Fatalf("facility login page: %d", res.Status)
	}
	if res := c.Get("/admin"); res.Status != 303 {
		t.Fatalf("operator survived the facility login page: %d", res.Status)
	}
	if res := c.Get("/mypage"); res.Status != 200 {
		t.Fatalf("mypage after the facility login: %d", res.Status)
	}
}

// A code seen once (on the wire, over a shoulder) does not sign anyone in again.
func TestAdminCodeReplayRefused(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "replay", "再送 太郎", "Operator1234", operator.RoleOperator)
	code := env.OperatorCode(t, "replay")
	signIn := func() *webtest.Response {
		c := env.Client(t)
		c.Get("/admin/login")
		if res := c.PostForm("/admin/login", url.Values{"login": {"replay"}, "password": {"Operator1234"}}); res.Location != "/admin/login/code" {
			t.Fatalf("password step: %d %q", res.Status, res.Location)
		}
		return c.PostForm("/admin/login/code", url.Values{"code": {code}})
	}
	if res := signIn(); res.Status != 303 || res.Location != "/admin" {
		t.Fatalf("first use: %d %q", res.Status, res.Location)
	}
	if res := signIn(); res.Status != 422 || !strings.Contains(res.Body, "この確認コードは使用済みです。") {
		t.Fatalf("second use: %d", res.Status)
	}
}
