package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portal/internal/inquiry"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// operatorClient signs a new client in to the back office. Every test of this file signs
// operators in through it, so a second factor added later changes one place.
func operatorClient(t *testing.T, env *webtest.Env, login, plain string) *webtest.Client {
	t.Helper()
	c := env.Client(t)
	if res := adminLogin(c, login, plain); res.Status != http.StatusSeeOther {
		t.Fatalf("operator sign-in %s: %d", login, res.Status)
	}
	return c
}

func TestAdminInquiryCase(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	env.Services.Inquiries.MinFillTime = 0
	f, a, fc := crFacility(t, env, "診療所", 1, "1234567", false)
	if res := fc.PostForm("/inquiry", inquiryForm(t, fc, a.Email)); res.Status != http.StatusSeeOther {
		t.Fatalf("inquiry: %d", res.Status)
	}
	var id int64
	if err := env.DB.QueryRow(context.Background(), `SELECT id FROM inquiries`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	sv := adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	op := operatorClient(t, env, "op", "Operator1234")
	svc := operatorClient(t, env, "sv", "Supervisor1234")

	// The home counts the new case; the inbox lists it.
	if res := op.Get("/admin"); !strings.Contains(res.Body, `href="/admin/inquiries?status=`) || !strings.Contains(res.Body, "新規") {
		t.Errorf("home without the counts:\n%s", short(res.Body))
	}
	if res := op.Get("/admin/inquiries?status=新規"); res.Status != http.StatusOK || !inquiryRefRe.MatchString(res.Body) {
		t.Fatalf("inbox: %d", res.Status)
	}
	// Templates are a supervisor's.
	if res := op.Get("/admin/inquiries/templates"); res.Status != http.StatusForbidden {
		t.Errorf("operator on templates: %d", res.Status)
	}
	svc.Get("/admin/inquiries/templates/new")
	res := svc.PostForm("/admin/inquiries/templates/new", url.Values{"title": {"ログイン"}, "body": {"{{施設名}}（{{医療機関等コード}}）ご担当者様\nパスワードを再設定してください。"}, "sort_order": {"10"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save template: %d\n%s", res.Status, short(res.Body))
	}
	var tid int64
	if err := env.DB.QueryRow(context.Background(), `SELECT id FROM inquiry_templates`).Scan(&tid); err != nil {
		t.Fatal(err)
	}
	page := op.Get(fmt.Sprintf("/admin/inquiries/%d?template=%d", id, tid))
	want := f.Name + "（" + f.TenDigitCode() + "）ご担当者様"
	if page.Status != http.StatusOK || !strings.Contains(html.UnescapeString(page.Body), want) {
		t.Fatalf("case with template: %d, want %q\n%s", page.Status, want, short(page.Body))
	}
	tok := stepToken.FindStringSubmatch(page.Body)[1]
	res = op.PostForm(fmt.Sprintf("/admin/inquiries/%d/answer", id), url.Values{"answer": {want + "\nパスワードを再設定してください。"}, "token": {tok}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", res.Status, short(res.Body))
	}
	m := env.WaitMail(t, a.Email, "お問い合わせへの回答")
	if !strings.Contains(m.Body, "パスワードを再設定してください。") {
		t.Errorf("answer mail:\n%s", m.Body)
	}
	// The facility reads it on マイページ.
	if res := fc.Get(fmt.Sprintf("/mypage/inquiries/%d", id)); !strings.Contains(res.Body, "パスワードを再設定してください。") {
		t.Error("the answer is not on the facility's page")
	}
	// Closed: answering says to reopen first, and keeps the text.
	page = op.Get(fmt.Sprintf("/admin/inquiries/%d", id))
	tok = stepToken.FindStringSubmatch(page.Body)[1]
	if res := op.PostForm(fmt.Sprintf("/admin/inquiries/%d/status", id), url.Values{"action": {string(inquiry.ActClose)}}); res.Status != http.StatusSeeOther {
		t.Fatalf("close: %d", res.Status)
	}
	res = op.PostForm(fmt.Sprintf("/admin/inquiries/%d/answer", id), url.Values{"answer": {"追記です"}, "token": {tok}})
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "再開する") || !strings.Contains(res.Body, "クローズしているため回答できません") {
		t.Errorf("answer on a closed case: %d\n%s", res.Status, short(res.Body))
	}
	// A note, the assignee and the priority.
	if res := op.PostForm(fmt.Sprintf("/admin/inquiries/%d/note", id), url.Values{"note": {"社内メモ"}, "token": {inquiry.NewStepToken()}}); res.Status != http.StatusSeeOther {
		t.Errorf("note: %d", res.Status)
	}
	if res := op.PostForm(fmt.Sprintf("/admin/inquiries/%d/update", id), url.Values{"assignee": {fmt.Sprint(sv.ID)}, "priority": {"1"}}); res.Status != http.StatusSeeOther {
		t.Errorf("update: %d", res.Status)
	}
	if res := fc.Get(fmt.Sprintf("/mypage/inquiries/%d", id)); strings.Contains(res.Body, "社内メモ") || strings.Contains(res.Body, "担当者を") {
		t.Error("the facility sees an internal note or event")
	}
}

func TestAdminPhoneCallerCase(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f, _, _ := crFacility(t, env, "病院", 1, "1234567", false)
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	op := operatorClient(t, env, "op", "Operator1234")
	page := op.Get(fmt.Sprintf("/admin/inquiries/new?facility=%d", f.ID))
	if page.Status != http.StatusOK || !strings.Contains(page.Body, f.Name) {
		t.Fatalf("new for a facility: %d", page.Status)
	}
	tok := stepToken.FindStringSubmatch(page.Body)[1]
	v := url.Values{"facility_id": {fmt.Sprint(f.ID)}, "token": {tok}, "category": {inquiry.Categories[1]}, "name": {"事務 太郎"},
		"phone": {"03-1111-2222"}, "question": {"配送日を知りたい"}, "answered": {"12月3日です。"}, "priority": {"2"}}
	res := op.PostForm("/admin/inquiries/new", v)
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/admin/inquiries/") {
		t.Fatalf("open: %d %s\n%s", res.Status, res.Location, short(res.Body))
	}
	if again := op.PostForm("/admin/inquiries/new", v); again.Location != res.Location {
		t.Errorf("posted twice: %s, want %s", again.Location, res.Location)
	}
	if n := countRows(t, env, `SELECT count(*) FROM inquiries WHERE facility_id = $1 AND channel = 'phone' AND status = '回答済'`, f.ID); n != 1 {
		t.Errorf("%d phone cases, want 1", n)
	}
	if res := op.Get("/admin/inquiries/new?q=1234567"); !strings.Contains(res.Body, f.Name) {
		t.Error("the facility search does not find the code")
	}
}
