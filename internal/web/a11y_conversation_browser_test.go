package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/document"
	"portal/internal/filecheck"
	"portal/internal/inquiry"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// The conversation's pages in the accessibility audits (see a11y_browser_test.go): the
// inquiry form and its states, a facility's cases and documents, and the back office's
// inbox, news, broadcasts, documents and catalog pages, at desktop and phone widths.

func TestBrowserA11yConversationPublicAndFacility(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	env.Services.Inquiries.MinFillTime = 0
	ctx := context.Background()
	f, acc, _ := crFacility(t, env, "病院", 1, "1234567", false)
	sv := adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	rc, err := env.Services.Inquiries.Submit(ctx, inquiry.Sender{FacilityID: f.ID, AccountID: acc.ID, FacilityCode: f.TenDigitCode()},
		inquiry.Input{Category: inquiry.Categories[0], Name: "山田 花子", Email: acc.Email, Question: "ログインできません。\n二行目です。",
			Attachment: inquiry.Upload{Filename: "画面.pdf", Data: filecheck.SamplePDF("screen")},
			Token:      inquiry.NewFormToken(env.Config.SessionSecret, time.Now().Add(-time.Minute))}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	var caseID int64
	if err := env.DB.QueryRow(ctx, `SELECT id FROM inquiries WHERE reference = $1`, rc.Reference).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	if err := env.Services.Inquiries.Answer(ctx, sv.ID, caseID, "パスワードの再設定をお試しください。", inquiry.NewStepToken()); err != nil {
		t.Fatal(err)
	}
	doc, err := env.Services.Documents.Send(ctx, sv.ID, document.Input{Title: "運用開始日のご入力について",
		File: document.Upload{Filename: "通知.pdf", Data: filecheck.SamplePDF("x")}, FacilityID: f.ID, Token: "a11y-document-000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	var msgID int64
	if err := env.DB.QueryRow(ctx, `SELECT id FROM facility_messages WHERE document_id = $1`, doc.DocumentID).Scan(&msgID); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 300*time.Second)

	send := func() []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/inquiry"), chromedp.WaitVisible(`#question`),
			chromedp.SetValue(`#category`, inquiry.Categories[0]), chromedp.SetValue(`#name`, "訪問 一郎"),
			chromedp.SetValue(`#email`, "visitor@example.jp"), chromedp.SetValue(`#question`, "質問です。"),
			chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`.inquiry-reference`)}
	}
	a11yAudit(t, tab, []a11yStep{
		a11yOpen(env, "/inquiry"), a11ySubmitEmpty(env, "/inquiry"),
		{"/inquiry/complete", send()},
		a11yOpen(env, "/news"),
	})
	a11yLogin(t, tab, env, acc.Email)
	a11yAudit(t, tab, []a11yStep{
		{"/mypage with an inquiry and a document", a11yOpen(env, "/mypage").do},
		a11yOpen(env, "/mypage/inquiries"),
		a11yOpen(env, fmt.Sprintf("/mypage/inquiries/%d", caseID)),
		a11ySubmitEmpty(env, fmt.Sprintf("/mypage/inquiries/%d", caseID)),
		a11yOpen(env, fmt.Sprintf("/mypage/messages/%d", msgID)),
		{"/inquiry signed in", a11yOpen(env, "/inquiry").do},
	})
}

func TestBrowserA11yConversationAdmin(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	crCatalog(t, env)
	f, acc, _ := crFacility(t, env, "病院", 1, "1234567", false)
	op := adminCreateOperator(t, env, "operator1", "山田 担当", "Operator1234", operator.RoleOperator)
	sv := adminCreateOperator(t, env, "supervisor1", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	svc := env.Services
	rc, err := svc.Inquiries.Submit(ctx, inquiry.Sender{FacilityID: f.ID, AccountID: acc.ID, FacilityCode: f.TenDigitCode()},
		inquiry.Input{Category: inquiry.Categories[0], Name: "山田 花子", Email: acc.Email, Question: "ログインできません。",
			Token: inquiry.NewFormToken(env.Config.SessionSecret, time.Now().Add(-time.Minute))}, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	var caseID int64
	if err := env.DB.QueryRow(ctx, `SELECT id FROM inquiries WHERE reference = $1`, rc.Reference).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Inquiries.Note(ctx, op.ID, caseID, "折り返し予定", inquiry.NewStepToken()); err != nil {
		t.Fatal(err)
	}
	if err := svc.Inquiries.Update(ctx, op.ID, caseID, op.ID, inquiry.PriorityHigh); err != nil {
		t.Fatal(err)
	}
	closedID, err := svc.Inquiries.OpenForCaller(ctx, op.ID, inquiry.PhoneCase{FacilityID: f.ID, Category: inquiry.Categories[1], Name: "事務 次郎",
		Question: "配送日", Priority: inquiry.PriorityNormal}, inquiry.NewStepToken())
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Inquiries.Act(ctx, op.ID, closedID, inquiry.ActClose); err != nil {
		t.Fatal(err)
	}
	tid, err := svc.Inquiries.SaveTemplate(ctx, sv.ID, inquiry.Template{Title: "ログイン", Body: "{{施設名}} 様"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := svc.Documents.Send(ctx, sv.ID, document.Input{Title: "運用開始日のご入力について",
		File: document.Upload{Filename: "通知.pdf", Data: filecheck.SamplePDF("x")}, FacilityID: f.ID, Token: "a11y-document-000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 300*time.Second)
	browserOperatorSignIn(t, tab, env, "operator1", "Operator1234")
	a11yAudit(t, tab, []a11yStep{
		{"/admin with the inquiry counts", a11yOpen(env, "/admin").do},
		a11yOpen(env, "/admin/inquiries"),
		a11yOpen(env, fmt.Sprintf("/admin/inquiries/%d", caseID)),
		a11yOpen(env, fmt.Sprintf("/admin/inquiries/%d?template=%d&q=%s", caseID, tid, f.Code)),
		a11ySubmitEmpty(env, fmt.Sprintf("/admin/inquiries/%d", caseID)),
		{"a closed case", a11yOpen(env, fmt.Sprintf("/admin/inquiries/%d", closedID)).do},
		a11yOpen(env, fmt.Sprintf("/admin/inquiries/new?facility=%d", f.ID)),
		a11yOpen(env, "/admin/inquiries/new?q=テスト"),
		a11ySubmitEmpty(env, "/admin/inquiries/new"),
	})
	browsertest.Run(t, tab, "supervisor signs in instead", chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(env.URL+"/admin"), chromedp.WaitVisible(`nav.admin-nav`),
		chromedp.Click(`.admin-header__account button[type=submit]`), chromedp.WaitVisible(`#login`))
	browserOperatorSignIn(t, tab, env, "supervisor1", "Supervisor1234")
	news := func() []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + "/admin/news/new"), chromedp.WaitVisible(`#title`),
			chromedp.SetValue(`#title`, "お知らせ"), chromedp.SetValue(`#body`, "本文です。\n\n[カタログ](/catalog)"),
			chromedp.Click(`button[value=preview]`), chromedp.WaitVisible(`.news-preview`)}
	}
	broadcastConfirm := func() []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + "/admin/broadcasts/new"), chromedp.WaitVisible(`#subject`),
			chromedp.SetValue(`#subject`, "お知らせ"), chromedp.SetValue(`#body`, "本文です。"),
			chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`.recipients`)}
	}
	a11yAudit(t, tab, []a11yStep{
		a11yOpen(env, "/admin/inquiries/templates"), a11yOpen(env, "/admin/inquiries/templates/new"),
		a11yOpen(env, fmt.Sprintf("/admin/inquiries/templates/%d", tid)), a11ySubmitEmpty(env, "/admin/inquiries/templates/new"),
		a11yOpen(env, "/admin/news"), a11yOpen(env, "/admin/news/new"), a11ySubmitEmpty(env, "/admin/news/new"),
		{"/admin/news/new previewed", news()},
		a11yOpen(env, "/admin/broadcasts"), a11yOpen(env, "/admin/broadcasts/new"), a11ySubmitEmpty(env, "/admin/broadcasts/new"),
		{"/admin/broadcasts confirm", broadcastConfirm()},
		{"/admin/broadcasts/{id}", append(broadcastConfirm(), chromedp.Click(`main form button.button--primary`), chromedp.WaitVisible(`.broadcast-status`))},
		a11yOpen(env, "/admin/documents"), a11yOpen(env, fmt.Sprintf("/admin/documents/new?facility=%d", f.ID)),
		a11ySubmitEmpty(env, "/admin/documents/new"),
		a11yOpen(env, fmt.Sprintf("/admin/documents/%d", doc.DocumentID)),
		a11yOpen(env, "/admin/catalog"), a11yOpen(env, "/admin/catalog/new"), a11ySubmitEmpty(env, "/admin/catalog/new"),
	})
}
