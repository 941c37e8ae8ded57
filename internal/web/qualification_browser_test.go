package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/certificate"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/qualification"
	"portal/internal/webtest"
)

// choose picks a value of a select as a user does, so the page's scripts hear the change.
func choose(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q;
		s.dispatchEvent(new Event("change", {bubbles: true})); })()`, sel, value))
}

// clearField empties a text field.
func clearField(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
}

// TestBrowserQualificationAndCertificates is the life of both applications in real
// chromium, with a clinic's tab and an operator's tab: a 利用申請 with a bad お客さまID, then a
// good one; sent back; corrected; approved. Three certificates; one cancelled; two issued;
// one asked to be revoked. Every mail arrives, and every page on the way passes the
// accessibility audit at desktop and phone widths.
func TestBrowserQualificationAndCertificates(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f, acc, _ := crFacility(t, env, "診療所", 1, "5200001", false)
	adminCreateOperator(t, env, "qop", "審査 花子", "OpPassw0rd1", operator.RoleOperator)
	clinic := browsertest.Tab(t, 240*time.Second)
	a11yLogin(t, clinic, env, acc.Email)
	year := fmt.Sprint(jp.Now().Year() + 1)

	a11yAudit(t, clinic, []a11yStep{
		a11yOpen(env, "/qualification"),
		{"/certificates before the 利用申請", a11yOpen(env, "/certificates").do},
	})
	browsertest.Run(t, clinic, "a 利用申請 with a bad お客さまID",
		chromedp.Navigate(env.URL+"/qualification"), chromedp.WaitVisible(`#provider`),
		chromedp.Click(`input[name=line_type][value="`+qualification.LineIPVPN+`"]`),
		choose(`#provider`, "NTT東日本"), chromedp.WaitVisible(`#customer_id`),
		chromedp.SendKeys(`#customer_id`, "caf12345"),
		chromedp.SendKeys(`#start_year`, year), chromedp.SendKeys(`#start_month`, "４"),
		chromedp.Click(`form[action="/qualification"] .form-actions button[type=submit]`),
		chromedp.WaitVisible(`#customer_id-error`))
	if got := browsertest.Get(t, clinic, "typed ID kept", chromedp.Value(`#customer_id`)); got != "caf12345" {
		t.Errorf("the typed お客さまID was not kept: %q", got)
	}
	if w := browsertest.Get(t, clinic, "和暦 beside the year", chromedp.Text(`#start_year ~ output`)); !strings.Contains(w, "令和") {
		t.Errorf("no 和暦 beside the typed year: %q", w)
	}
	a11yAudit(t, clinic, []a11yStep{{"/qualification with errors", nil}})
	browsertest.Run(t, clinic, "a good お客さまID, confirmed",
		clearField(`#customer_id`), chromedp.SendKeys(`#customer_id`, "ＣＡＦ１２３４５６７８９０"),
		chromedp.Click(`form[action="/qualification"] .form-actions button[type=submit]`),
		chromedp.WaitVisible(`form[action="/qualification/confirm"]`))
	a11yAudit(t, clinic, []a11yStep{{"/qualification/confirm", nil}})
	browsertest.Run(t, clinic, "上記の内容で申請する",
		chromedp.Click(`form[action="/qualification/confirm"] button[type=submit]`), chromedp.WaitVisible(`.complete-box`))
	a11yAudit(t, clinic, []a11yStep{{"/qualification/complete", nil}})
	env.WaitMail(t, acc.Email, "オンライン資格確認利用申請受付のお知らせ")
	app, err := qualification.ForFacility(context.Background(), env.DB, f.ID)
	if err != nil || app.Input.CustomerID != "CAF1234567890" {
		t.Fatalf("stored: %+v %v", app.Input, err)
	}

	op := browsertest.Tab(t, 240*time.Second)
	adminBrowserLogin(t, op, env, "qop", "OpPassw0rd1")
	detail := fmt.Sprintf("/admin/qualification/%d", app.ID)
	a11yAudit(t, op, []a11yStep{a11yOpen(env, "/admin/qualification"), a11yOpen(env, detail)})
	browsertest.Run(t, op, "send back without a reason, then with one",
		chromedp.Navigate(env.URL+detail+"/return"), chromedp.WaitVisible(`#reason`),
		chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`#reason-error`))
	a11yAudit(t, op, []a11yStep{{detail + "/return without a reason", nil}})
	browsertest.Run(t, op, "差し戻す",
		chromedp.SendKeys(`#reason`, "お客さまIDが回線契約と一致しません。"),
		chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`.flash`))
	env.WaitMail(t, acc.Email, "オンライン資格確認利用申請差戻しのお知らせ")

	browsertest.Run(t, clinic, "the clinic corrects it",
		chromedp.Navigate(env.URL+"/mypage"), chromedp.WaitVisible(`main h1`),
		chromedp.Navigate(env.URL+"/qualification"), chromedp.WaitVisible(`#customer_id`),
		clearField(`#customer_id`), chromedp.SendKeys(`#customer_id`, "COP0987654321"),
		chromedp.Click(`form[action="/qualification"] .form-actions button[type=submit]`),
		chromedp.WaitVisible(`form[action="/qualification/confirm"]`),
		chromedp.Click(`form[action="/qualification/confirm"] button[type=submit]`), chromedp.WaitVisible(`.complete-box`))
	env.WaitMail(t, acc.Email, "オンライン資格確認利用申請再申請受付のお知らせ")
	browsertest.Run(t, op, "承認する",
		chromedp.Navigate(env.URL+detail), chromedp.WaitVisible(`a[href$="/approve"]`),
		chromedp.Click(`a[href$="/approve"]`), chromedp.WaitVisible(`main form button[type=submit]`))
	a11yAudit(t, op, []a11yStep{{detail + "/approve", nil}})
	browsertest.Run(t, op, "approved", chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`.flash`))
	env.WaitMail(t, acc.Email, "オンライン資格確認利用申請承認のお知らせ")

	browsertest.Run(t, clinic, "three certificates",
		chromedp.Navigate(env.URL+"/certificates/apply"), chromedp.WaitVisible(`#name1`),
		chromedp.SetValue(`#purpose1`, certificate.Purposes[0]), chromedp.SendKeys(`#name1`, "受付端末1"),
		chromedp.SetValue(`#purpose2`, certificate.Purposes[1]), chromedp.SendKeys(`#name2`, "診察室PC"),
		chromedp.SetValue(`#purpose3`, certificate.Purposes[2]), chromedp.SendKeys(`#name3`, "事務PC"),
		chromedp.Click(`form[action="/certificates/apply"] .form-actions button[type=submit]`),
		chromedp.WaitVisible(`form[action="/certificates/apply/confirm"]`))
	a11yAudit(t, clinic, []a11yStep{{"/certificates/apply/confirm", nil}})
	browsertest.Run(t, clinic, "申請する",
		chromedp.Click(`form[action="/certificates/apply/confirm"] button[type=submit]`), chromedp.WaitVisible(`.complete-box`))
	env.WaitMail(t, acc.Email, "電子証明書発行申請受付のお知らせ")
	certs, err := certificate.ForFacility(context.Background(), env.DB, f.ID)
	if err != nil || len(certs) != 3 {
		t.Fatalf("certificates: %d %v", len(certs), err)
	}
	ids := map[string]int64{}
	for _, c := range certs {
		ids[c.Name] = c.ID
	}
	a11yAudit(t, clinic, []a11yStep{a11yOpen(env, "/certificates"), a11yOpen(env, "/certificates/apply"),
		a11yOpen(env, fmt.Sprintf("/certificates/%d/cancel", ids["事務PC"]))})
	browsertest.Run(t, clinic, "cancel one",
		chromedp.Navigate(env.URL+fmt.Sprintf("/certificates/%d/cancel", ids["事務PC"])), chromedp.WaitVisible(`main form button[type=submit]`),
		chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`.flash`))
	env.WaitMail(t, acc.Email, "電子証明書発行申請取消のお知らせ")
	for _, n := range []string{"受付端末1", "診察室PC"} {
		browsertest.Run(t, op, "issue "+n,
			chromedp.Navigate(env.URL+fmt.Sprintf("/admin/certificates/%d/issue", ids[n])), chromedp.WaitVisible(`main form button[type=submit]`),
			chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`.flash`))
	}
	a11yAudit(t, op, []a11yStep{a11yOpen(env, "/admin/certificates"), a11yOpen(env, fmt.Sprintf("/admin/certificates/%d", ids["受付端末1"]))})
	browsertest.Run(t, clinic, "ask to revoke one",
		chromedp.Navigate(env.URL+"/certificates"), chromedp.WaitVisible(`a[href$="/revoke"]`),
		chromedp.Click(fmt.Sprintf(`a[href="/certificates/%d/revoke"]`, ids["受付端末1"])), chromedp.WaitVisible(`main form button[type=submit]`),
		chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`.flash`))
	env.WaitMail(t, acc.Email, "電子証明書発行のお知らせ")
	env.WaitMail(t, acc.Email, "電子証明書失効申請受付のお知らせ")
	status := browsertest.Get(t, clinic, "status page", chromedp.Text(`main table`))
	for _, want := range []string{"受付端末1", certificate.StatusRevokeRequested, "診察室PC", certificate.StatusIssued, "事務PC", certificate.StatusCancelled} {
		if !strings.Contains(status, want) {
			t.Errorf("status page lacks %q:\n%s", want, status)
		}
	}
	a11yAudit(t, clinic, []a11yStep{a11yOpen(env, "/mypage")})
}
