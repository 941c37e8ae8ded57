package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"portal/internal/certificate"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/qualification"
	"portal/internal/webtest"
)

// qaForm is a valid 利用申請 for next year.
func qaForm() url.Values {
	y := fmt.Sprint(jp.Now().Year() + 1)
	return url.Values{"line_type": {qualification.LineIPVPN}, "provider": {"NTT東日本"}, "customer_id": {"ｃａｆ１２３４５６７８９０"},
		"start_year": {y}, "start_month": {"4"}, "test_year": {y}, "test_month": {"3"}}
}

// flowConfirm posts a form to path, then its confirm page, and returns the completion page.
func flowConfirm(t *testing.T, c *webtest.Client, path string, form url.Values) *webtest.Response {
	t.Helper()
	c.Get(path)
	res := c.PostForm(path, form)
	if res.Status != 303 || res.Location != path+"/confirm" {
		t.Fatalf("submit %s: %d %s\n%s", path, res.Status, res.Location, res.Body)
	}
	conf := c.Get(path + "/confirm")
	m := nonceField.FindStringSubmatch(conf.Body)
	if conf.Status != 200 || m == nil {
		t.Fatalf("confirm page %s: %d", path, conf.Status)
	}
	res = c.PostForm(path+"/confirm", url.Values{"nonce": {m[1]}})
	if res.Status != 303 || res.Location != path+"/complete" {
		t.Fatalf("confirm %s: %d %s\n%s", path, res.Status, res.Location, res.Body)
	}
	// A resubmitted confirm page (the token used) lands on the same completion page.
	if again := c.PostForm(path+"/confirm", url.Values{"nonce": {m[1]}}); again.Location != path+"/complete" {
		t.Fatalf("resubmitted confirm %s: %d %s", path, again.Status, again.Location)
	}
	return c.Get(path + "/complete")
}

func TestQualificationApplyReturnApprove(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f, acc, c := crFacility(t, env, "診療所", 1, "5100001", false)
	_, _, other := crFacility(t, env, "病院", 1, "5100002", false)

	// Bad input comes back beside each field, everything typed kept.
	bad := qaForm()
	bad.Set("customer_id", "CAF12")
	bad.Set("start_month", "13")
	res := c.PostForm("/qualification", bad)
	if res.Status != 422 || !strings.Contains(res.Body, "▲エラーが発生しました") || !strings.Contains(res.Body, `value="CAF12"`) ||
		!strings.Contains(res.Body, "お客さまIDは「CAF」または「COP」に続く数字10桁") || !strings.Contains(res.Body, "月は1～12の数字") {
		t.Fatalf("bad input: %d\n%s", res.Status, res.Body)
	}
	done := flowConfirm(t, c, "/qualification", qaForm())
	if !strings.Contains(done.Body, "申込番号：") || !strings.Contains(done.Body, "QA") {
		t.Fatalf("completion:\n%s", done.Body)
	}
	m := env.WaitMail(t, acc.Email, "オンライン資格確認利用申請受付のお知らせ")
	if !strings.Contains(m.Body, "お客さまID：CAF1234567890") || !strings.Contains(m.Body, "（令和") {
		t.Errorf("receipt mail says what was received:\n%s", m.Body)
	}
	app, err := qualification.ForFacility(context.Background(), env.DB, f.ID)
	if err != nil || app.Input.CustomerID != "CAF1234567890" {
		t.Fatalf("stored: %+v %v", app, err)
	}
	// The certificates are closed until approval, and say why.
	if page := c.Get("/certificates/apply"); !strings.Contains(page.Body, "利用申請が承認された後") {
		t.Errorf("certificates before approval:\n%s", page.Body)
	}

	adminCreateOperator(t, env, "qop", "審査 花子", "OpPassw0rd1", operator.RoleOperator)
	op := env.Client(t)
	adminLogin(op, "qop", "OpPassw0rd1")
	list := op.Get("/admin/qualification?status=" + url.QueryEscape(qualification.StatusSubmitted))
	if list.Status != 200 || !strings.Contains(list.Body, app.Reference) || !strings.Contains(list.Body, "1件") {
		t.Fatalf("list: %d\n%s", list.Status, list.Body)
	}
	detail := fmt.Sprintf("/admin/qualification/%d", app.ID)
	if res := op.PostForm(detail+"/return", url.Values{"reason": {""}}); res.Status != 422 || !strings.Contains(res.Body, "差戻しの理由を入力してください。") {
		t.Fatalf("return without a reason: %d", res.Status)
	}
	if res := op.PostForm(detail+"/return", url.Values{"reason": {"お客さまIDをご確認ください。"}}); res.Status != 303 {
		t.Fatalf("return: %d", res.Status)
	}
	m = env.WaitMail(t, acc.Email, "オンライン資格確認利用申請差戻しのお知らせ")
	if !strings.Contains(m.Body, "お客さまIDをご確認ください。") {
		t.Errorf("return mail:\n%s", m.Body)
	}
	if page := c.Get("/mypage"); !strings.Contains(page.Body, "差戻しの理由：お客さまIDをご確認ください。") {
		t.Errorf("mypage does not show the reason")
	}
	fixed := qaForm()
	fixed.Set("customer_id", "COP9999999999")
	flowConfirm(t, c, "/qualification", fixed)
	env.WaitMail(t, acc.Email, "オンライン資格確認利用申請再申請受付のお知らせ")
	if res := op.Get(detail + "/approve"); res.Status != 200 || !strings.Contains(res.Body, "承認する") {
		t.Fatalf("approve confirmation: %d", res.Status)
	}
	if res := op.PostForm(detail+"/approve", nil); res.Status != 303 {
		t.Fatalf("approve: %d", res.Status)
	}
	env.WaitMail(t, acc.Email, "オンライン資格確認利用申請承認のお知らせ")
	// Approved: the facility's form is closed, approving again is refused with a notice.
	if page := c.Get("/qualification"); !strings.Contains(page.Body, "承認済みのため") {
		t.Errorf("form after approval:\n%s", page.Body)
	}
	if res := c.PostForm("/qualification", qaForm()); !strings.Contains(res.Body, "承認済みのため") {
		t.Errorf("post after approval: %d", res.Status)
	}
	if res := op.PostForm(detail+"/approve", nil); res.Status != 303 || !strings.Contains(op.Get(detail).Body, "その操作はできません") {
		t.Errorf("approve twice: %d", res.Status)
	}
	show := op.Get(detail)
	if !strings.Contains(show.Body, "コールセンター（審査 花子）") {
		t.Errorf("history does not name the operator:\n%s", show.Body)
	}
	csv := op.Get("/admin/qualification/export.csv?encoding=cp932&status=" + url.QueryEscape(qualification.StatusApproved))
	if csv.Status != 200 || !strings.Contains(csv.Header.Get("Content-Type"), "shift_jis") {
		t.Errorf("export: %d %s", csv.Status, csv.Header.Get("Content-Type"))
	}
	// Nobody else sees it: another facility has its own (empty) form, and a facility
	// cannot reach the back office.
	if page := other.Get("/qualification"); strings.Contains(page.Body, app.Reference) {
		t.Error("another facility sees the application")
	}
	if res := c.Get(detail); res.Status != 303 || !strings.HasPrefix(res.Location, "/admin/login") {
		t.Errorf("a facility reaches the back office: %d %s", res.Status, res.Location)
	}

	// Now the certificates: three at once, one cancelled, two issued, one revoked on request.
	rows := url.Values{}
	for i, n := range []string{"受付端末1", "診察室PC", "事務PC"} {
		rows.Set(certificate.FieldPurpose(i+1), certificate.Purposes[i])
		rows.Set(certificate.FieldName(i+1), n)
	}
	flowConfirm(t, c, "/certificates/apply", rows)
	env.WaitMail(t, acc.Email, "電子証明書発行申請受付のお知らせ")
	certs, err := certificate.ForFacility(context.Background(), env.DB, f.ID)
	if err != nil || len(certs) != 3 {
		t.Fatalf("certificates: %d %v", len(certs), err)
	}
	ids := map[string]int64{}
	for _, ct := range certs {
		ids[ct.Name] = ct.ID
	}
	if res := other.Get(fmt.Sprintf("/certificates/%d/cancel", ids["事務PC"])); res.Status != 404 {
		t.Errorf("another facility's certificate: %d", res.Status)
	}
	if res := other.PostForm(fmt.Sprintf("/certificates/%d/cancel", ids["事務PC"]), nil); res.Status != 404 {
		t.Errorf("another facility cancels: %d", res.Status)
	}
	if res := c.PostForm(fmt.Sprintf("/certificates/%d/cancel", ids["事務PC"]), nil); res.Status != 303 {
		t.Fatalf("cancel: %d", res.Status)
	}
	for _, n := range []string{"受付端末1", "診察室PC"} {
		if res := op.PostForm(fmt.Sprintf("/admin/certificates/%d/issue", ids[n]), nil); res.Status != 303 {
			t.Fatalf("issue %s: %d", n, res.Status)
		}
	}
	if res := c.PostForm(fmt.Sprintf("/certificates/%d/revoke", ids["受付端末1"]), nil); res.Status != 303 {
		t.Fatalf("revoke request: %d", res.Status)
	}
	if res := op.PostForm(fmt.Sprintf("/admin/certificates/%d/revoke", ids["受付端末1"]), nil); res.Status != 303 {
		t.Fatalf("revoke: %d", res.Status)
	}
	for _, subject := range []string{"電子証明書発行申請取消のお知らせ", "電子証明書発行のお知らせ", "電子証明書失効申請受付のお知らせ", "電子証明書失効のお知らせ"} {
		env.WaitMail(t, acc.Email, subject)
	}
	status := c.Get("/certificates")
	for _, want := range []string{"受付端末1", "失効", "診察室PC", "発行済", "事務PC", "取消", "5営業日前"} {
		if !strings.Contains(status.Body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if res := c.Get(fmt.Sprintf("/certificates/%d/revoke", ids["受付端末1"])); res.Status != 303 {
		t.Errorf("a revoked certificate revoked again: %d", res.Status)
	}
}
