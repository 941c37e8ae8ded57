package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"portal/internal/operator"
	"portal/internal/webtest"
)

var temporaryPassword = regexp.MustCompile(`id="temporary-password"[^>]*>([A-Za-z0-9]{14})<`)

// enrolCode computes the first code from the enrolment page's secret.
func enrolCode(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`id="totp-secret">([A-Z2-7 ]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no secret on the enrolment page:\n%s", body)
	}
	code, err := operator.CodeAt(strings.ReplaceAll(m[1], " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestAdminOperatorCreatedSignsInEnrolsAndChangesPassword(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "sv", "監督 花子", "Supervisor1234", operator.RoleSupervisor)
	sv := env.Client(t)
	if res := adminLogin(sv, "sv", "Supervisor1234"); res.Status != 303 {
		t.Fatalf("supervisor sign-in: %d", res.Status)
	}
	if res := sv.Get("/admin/operators"); res.Status != 200 || !strings.Contains(res.Body, "監督 花子") {
		t.Fatalf("list: %d", res.Status)
	}
	sv.Get("/admin/operators/new")
	res := sv.PostForm("/admin/operators/new", url.Values{"login": {"Bad Login"}, "name": {""}, "role": {"root"}})
	if res.Status != 422 || !strings.Contains(res.Body, operator.MsgLoginFormat) || !strings.Contains(res.Body, operator.MsgNameRequired) ||
		!strings.Contains(res.Body, operator.MsgRoleRequired) || !strings.Contains(res.Body, `value="Bad Login"`) {
		t.Fatalf("bad form: %d %s", res.Status, res.Body)
	}
	draft := url.Values{"login": {"newbie"}, "name": {"新人 一郎"}, "role": {"operator"}}
	res = sv.PostForm("/admin/operators/new", draft)
	if res.Status != 200 || !strings.Contains(res.Body, "オペレーターの登録（確認）") || !strings.Contains(res.Body, "新人 一郎") {
		t.Fatalf("confirm: %d", res.Status)
	}
	if n := countOperators(t, env); n != 1 {
		t.Fatalf("the confirm page created an account: %d", n)
	}
	res = sv.PostForm("/admin/operators/create", draft)
	m := temporaryPassword.FindStringSubmatch(res.Body)
	if res.Status != 200 || m == nil || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("created: %d %v\n%s", res.Status, res.Header, res.Body)
	}
	temp := m[1]
	// Posting the confirm page again (reload) makes nothing twice.
	if res := sv.PostForm("/admin/operators/create", draft); res.Status != 422 || !strings.Contains(res.Body, operator.MsgLoginTaken) {
		t.Fatalf("created twice: %d", res.Status)
	}

	// The new operator: password, enrolment, recovery codes, forced password change.
	op := env.Client(t)
	op.Get("/admin/login")
	res = op.PostForm("/admin/login", url.Values{"login": {"newbie"}, "password": {temp}})
	if res.Status != 303 || res.Location != "/admin/login/enrol" {
		t.Fatalf("first sign-in: %d %q", res.Status, res.Location)
	}
	if res := op.Get("/admin/login/code"); res.Status != 200 {
		t.Fatalf("code page while not enrolled: %d", res.Status)
	}
	if res := op.PostForm("/admin/login/code", url.Values{"code": {"123456"}}); res.Status != 303 || res.Location != "/admin/login/enrol" {
		t.Fatalf("code step before enrolment: %d %q", res.Status, res.Location)
	}
	page := op.Get("/admin/login/enrol")
	if page.Status != 200 || !strings.Contains(page.Body, `src="data:image/png;base64,`) || !strings.Contains(page.Body, "二要素認証の設定") {
		t.Fatalf("enrolment page: %d\n%s", page.Status, page.Body)
	}
	if res := op.PostForm("/admin/login/enrol", url.Values{"code": {"000000"}}); res.Status != 422 || !strings.Contains(res.Body, "確認コードが正しくありません。") ||
		!strings.Contains(res.Body, `src="data:image/png;base64,`) {
		t.Fatalf("wrong first code: %d", res.Status)
	}
	res = op.PostForm("/admin/login/enrol", url.Values{"code": {enrolCode(t, page.Body)}})
	codes := regexp.MustCompile(`<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>`).FindAllStringSubmatch(res.Body, -1)
	if res.Status != 200 || len(codes) != 10 || !strings.Contains(res.Body, `href="/admin/password"`) {
		t.Fatalf("recovery codes: %d %d\n%s", res.Status, len(codes), res.Body)
	}
	// A temporary password: every page leads to the password change first.
	for _, p := range []string{"/admin", "/admin/cardreader"} {
		if res := op.Get(p); res.Status != 303 || res.Location != "/admin/password" {
			t.Fatalf("%s with a temporary password: %d %q", p, res.Status, res.Location)
		}
	}
	page = op.Get("/admin/password")
	if page.Status != 200 || !strings.Contains(page.Body, "仮パスワードでログインしています") {
		t.Fatalf("forced change: %d", page.Status)
	}
	res = op.PostForm("/admin/password", url.Values{"current_password": {"wrong"}, "password": {"NewPassw0rd88"}, "password_confirm": {"NewPassw0rd88"}})
	if res.Status != 422 || !strings.Contains(res.Body, "現在のパスワードが正しくありません。") {
		t.Fatalf("wrong current password: %d", res.Status)
	}
	res = op.PostForm("/admin/password", url.Values{"current_password": {temp}, "password": {"NewPassw0rd88"}, "password_confirm": {"NewPassw0rd88"}})
	if res.Status != 303 || res.Location != "/admin" {
		t.Fatalf("password change: %d %q", res.Status, res.Location)
	}
	if res := op.Get("/admin"); res.Status != 200 || !strings.Contains(res.Body, "パスワードを変更しました。") {
		t.Fatalf("after the change: %d", res.Status)
	}
	// The operator is an operator: the supervisors' pages stay shut.
	for _, p := range []string{"/admin/operators", "/admin/operators/new", "/admin/audit", "/admin/audit/export.csv?encoding=utf8"} {
		if res := op.Get(p); res.Status != 403 {
			t.Errorf("operator on %s: %d, want 403", p, res.Status)
		}
	}
	if res := op.PostForm("/admin/operators/create", url.Values{"login": {"intruder"}, "name": {"x"}, "role": {"supervisor"}}); res.Status != 403 {
		t.Errorf("operator creating a supervisor: %d", res.Status)
	}
	// A recovery code signs in once instead of the app.
	other := env.Client(t)
	other.Get("/admin/login")
	other.PostForm("/admin/login", url.Values{"login": {"newbie"}, "password": {"NewPassw0rd88"}})
	if res := other.PostForm("/admin/login/code", url.Values{"code": {strings.ToLower(codes[0][1])}}); res.Status != 303 || res.Location != "/admin" {
		t.Fatalf("recovery code: %d %q", res.Status, res.Location)
	}
	if n := countOperators(t, env); n != 2 {
		t.Fatalf("operators: %d", n)
	}
}

func countOperators(t *testing.T, env *webtest.Env) int {
	t.Helper()
	var n int
	if err := env.DB.QueryRow(context.Background(), `SELECT count(*) FROM operators`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdminSupervisorStepsEndTheOperatorsSessions(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	sv := adminCreateOperator(t, env, "sv", "監督 花子", "Supervisor1234", operator.RoleSupervisor)
	op := adminCreateOperator(t, env, "op", "操作 太郎", "Operator1234", operator.RoleOperator)
	svc, opc := env.Client(t), env.Client(t)
	adminLogin(svc, "sv", "Supervisor1234")
	signedIn := func() bool { return opc.Get("/admin").Status == 200 }
	signIn := func() {
		t.Helper()
		if res := adminLogin(opc, "op", "Operator1234"); res.Status != 303 || !signedIn() {
			t.Fatalf("operator sign-in: %d %q", res.Status, res.Location)
		}
	}
	signIn()
	show := svc.Get("/admin/operators/" + itoa(op.ID))
	if show.Status != 200 || !strings.Contains(show.Body, "二要素認証をリセットする") {
		t.Fatalf("account page: %d", show.Status)
	}
	// Own account: no steps offered, and none taken by URL.
	if res := svc.Get("/admin/operators/" + itoa(sv.ID)); !strings.Contains(res.Body, "自分自身のアカウントはこの画面では操作できません") ||
		strings.Contains(res.Body, "/disable") {
		t.Fatal("own account offers steps")
	}
	if res := svc.PostForm("/admin/operators/"+itoa(sv.ID)+"/disable", nil); res.Status != 303 {
		t.Fatalf("disable oneself: %d", res.Status)
	} else if page := svc.Get(res.Location); !strings.Contains(page.Body, "自分自身のアカウント") {
		t.Fatal("no message for one's own account")
	}

	// Reset the factor: confirmation page, then the operator's session ends and the next
	// sign-in enrols anew.
	if res := svc.Get("/admin/operators/" + itoa(op.ID) + "/reset-factor"); res.Status != 200 || !strings.Contains(res.Body, "二要素認証のリセット（確認）") {
		t.Fatalf("confirm reset: %d", res.Status)
	}
	if res := svc.PostForm("/admin/operators/"+itoa(op.ID)+"/reset-factor", nil); res.Status != 303 {
		t.Fatalf("reset factor: %d", res.Status)
	}
	if signedIn() {
		t.Fatal("the operator's session outlived the factor reset")
	}
	opc.Get("/admin/login")
	if res := opc.PostForm("/admin/login", url.Values{"login": {"op"}, "password": {"Operator1234"}}); res.Location != "/admin/login/enrol" {
		t.Fatalf("after the reset: %d %q", res.Status, res.Location)
	}
	// Enrol again for the rest of the test.
	page := opc.Get("/admin/login/enrol")
	if res := opc.PostForm("/admin/login/enrol", url.Values{"code": {enrolCode(t, page.Body)}}); res.Status != 200 {
		t.Fatalf("enrol again: %d", res.Status)
	}
	if !signedIn() {
		t.Fatal("not signed in after enrolling again")
	}

	// Disable: session over, sign-in refused with the reason; enable lets it back.
	svc.Get("/admin/operators/" + itoa(op.ID) + "/disable")
	if res := svc.PostForm("/admin/operators/"+itoa(op.ID)+"/disable", nil); res.Status != 303 {
		t.Fatalf("disable: %d", res.Status)
	}
	if signedIn() {
		t.Fatal("a disabled operator stayed signed in")
	}
	opc.Get("/admin/login")
	if res := opc.PostForm("/admin/login", url.Values{"login": {"op"}, "password": {"Operator1234"}}); res.Status != 403 ||
		!strings.Contains(res.Body, "利用が停止されています") {
		t.Fatalf("disabled sign-in: %d", res.Status)
	}
	if res := svc.Get("/admin/operators/" + itoa(op.ID) + "/disable"); res.Status != 303 {
		t.Fatalf("disable page of a disabled account: %d", res.Status)
	}
	svc.Get("/admin/operators/" + itoa(op.ID) + "/enable")
	if res := svc.PostForm("/admin/operators/"+itoa(op.ID)+"/enable", nil); res.Status != 303 {
		t.Fatalf("enable: %d", res.Status)
	}
	signIn()

	// A new temporary password: shown once, the old session ends.
	svc.Get("/admin/operators/" + itoa(op.ID) + "/reset-password")
	res := svc.PostForm("/admin/operators/"+itoa(op.ID)+"/reset-password", nil)
	if temporaryPassword.FindStringSubmatch(res.Body) == nil {
		t.Fatalf("new temporary password: %d", res.Status)
	}
	if signedIn() {
		t.Fatal("the operator's session outlived the password reset")
	}

	// Role change: the operator becomes a supervisor, menu and pages follow at once.
	svc.Get("/admin/operators/" + itoa(op.ID) + "/role")
	if res := svc.PostForm("/admin/operators/"+itoa(op.ID)+"/role", url.Values{"role": {"boss"}}); res.Status != 422 {
		t.Fatalf("unknown role: %d", res.Status)
	}
	if res := svc.PostForm("/admin/operators/"+itoa(op.ID)+"/role", url.Values{"role": {"supervisor"}}); res.Status != 303 {
		t.Fatalf("role change: %d", res.Status)
	}
	if page := svc.Get("/admin/operators/" + itoa(op.ID)); !strings.Contains(page.Body, "権限を「スーパーバイザー」に変更しました。") {
		t.Fatal("no notice of the role change")
	}

	// Every step is in the audit trail, in Japanese, with both names.
	trail := svc.Get("/admin/audit?operator=" + itoa(sv.ID))
	for _, want := range []string{"二要素認証のリセット", "オペレーターの利用停止", "オペレーターの利用再開", "仮パスワードの発行", "権限の変更",
		"変更前: オペレーター、変更後: スーパーバイザー"} {
		if !strings.Contains(trail.Body, want) {
			t.Errorf("audit trail lacks %q", want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
