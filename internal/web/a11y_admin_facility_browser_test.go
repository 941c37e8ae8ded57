package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/account"
	"portal/internal/browsertest"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// The accessibility audits (as in a11y_browser_test.go) of the call center's facility
// pages, the outbox and the batches, each at desktop and phone widths and in its error
// states.
func TestBrowserA11yAdminFacilityPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	a := adminFacilityAccount(t, env)
	f := seedFacility(t, env, 13, 4, "2345678", "あくせす薬局")
	if _, err := account.IssueOne(ctx, env.DB, env.Config.SessionSecret, f.ID, account.KindLetter); err != nil {
		t.Fatal(err)
	}
	failed := obMail(t, env, "minato@example.jp", a.FacilityID, "failed", "451 4.3.0 Try again later")
	pruned := obMail(t, env, "old@example.jp", 0, "sent", "")
	if _, err := env.DB.Exec(ctx, `UPDATE mail_outbox SET body = NULL, body_pruned_at = now() WHERE id = $1`, pruned); err != nil {
		t.Fatal(err)
	}
	adminCreateOperator(t, env, "operator1", "山田 担当", "Operator1234", operator.RoleOperator)
	sv := adminCreateOperator(t, env, "supervisor1", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	// Runs in each state the run page shows: refused with problems, letters done, queued.
	var refused, letters, queued int64
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	_, _ = zw.Write([]byte("3\t医療機関等コードは7桁の数字です（「ABC」）\n7\t都道府県コードは01～47のいずれかです（「99」）\n"))
	_ = zw.Close()
	if err := env.DB.QueryRow(ctx, `INSERT INTO batch_runs (kind, state, started_by, file_name, file_size, problem_count, finished_at)
		VALUES ('master_import', 'refused', $1, 'master.csv', 1234, 2, now()) RETURNING id`, sv.ID).Scan(&refused); err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Exec(ctx, `UPDATE batch_runs SET problems = $2 WHERE id = $1`, refused, packed.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.QueryRow(ctx, `INSERT INTO batch_runs (kind, state, started_by, encoding, result, output, finished_at)
		VALUES ('letters', 'done', $1, 'cp932', '{"issued": 3}', '\x00', now()) RETURNING id`, sv.ID).Scan(&letters); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.QueryRow(ctx, `INSERT INTO batch_runs (kind, state, started_by, encoding, stage, done, total, heartbeat_at)
		VALUES ('letters', 'running', $1, 'utf8', 'letters', 5, 10, now()) RETURNING id`, sv.ID).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 300*time.Second)

	browsertest.Run(t, tab, "desktop width", chromedp.EmulateViewport(1280, 900))
	adminBrowserLogin(t, tab, env, "operator1", "Operator1234")
	acct := fmt.Sprintf("/admin/facilities/%d", a.FacilityID)
	letter := fmt.Sprintf("/admin/facilities/%d", f.ID)
	mailPage := fmt.Sprintf("/admin/mails/%d", failed)
	a11yAudit(t, tab, []a11yStep{
		a11yOpen(env, "/admin"),
		{"/admin typing into the search", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/admin"), chromedp.WaitVisible(`#q`),
			chromedp.Focus(`#q`), chromedp.SendKeys(`#q`, "みなと"), chromedp.WaitVisible(`#facility-results table`)}},
		a11yOpen(env, "/admin/facilities"),
		a11yOpen(env, "/admin/facilities?q=みなと"),
		a11yOpen(env, "/admin/facilities?q=あ"),
		a11yOpen(env, "/admin/facilities?q=該当なし"),
		a11yOpen(env, acct), a11yOpen(env, letter),
		a11yOpen(env, letter+"/delete-provisional"),
		a11ySubmitEmpty(env, letter+"/delete-provisional"),
		a11yOpen(env, letter+"/registration-mail"),
		a11ySubmitEmpty(env, letter+"/registration-mail"),
		a11yOpen(env, acct+"/unlock"),
		{acct + " パスワード等通知書 printed", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + acct + "/issue-notice"), chromedp.WaitVisible(`#reason`),
			chromedp.SetValue(`#reason`, "メールアドレス不達"), chromedp.Submit(`main form`), chromedp.WaitVisible(`.sheet`)}},
		{letter + " アカウント登録案内文書 printed", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + letter + "/reissue-letter"), chromedp.WaitVisible(`#reason`),
			chromedp.SetValue(`#reason`, "再送付"), chromedp.Submit(`main form`), chromedp.WaitVisible(`.sheet`)}},
		a11yOpen(env, "/admin/mails"),
		a11yOpen(env, "/admin/mails?status=failed&address=min&prefix=1"),
		a11yOpen(env, "/admin/mails?address=mi&prefix=1"),
		a11yOpen(env, mailPage), a11yOpen(env, mailPage+"/retry"),
		a11yOpen(env, fmt.Sprintf("/admin/mails/%d", pruned)),
		{"/admin/batches refused to an operator", a11yOpen(env, "/admin/batches").do},
	})

	browsertest.Run(t, tab, "operator signs out",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(env.URL+"/admin"), chromedp.WaitVisible(`nav.admin-nav`),
		chromedp.Submit(`form[action="/admin/logout"]`), chromedp.WaitVisible(`#login`))
	adminBrowserLogin(t, tab, env, "supervisor1", "Supervisor1234")
	a11yAudit(t, tab, []a11yStep{
		a11yOpen(env, "/admin/batches"),
		{"/admin/batches with a file that is not CSV", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/admin/batches"), chromedp.WaitVisible(`#file`),
			chromedp.Submit(`form[action="/admin/batches/master"]`), chromedp.WaitVisible(`#form-errors`)}},
		a11yOpen(env, "/admin/batches/letters"),
		a11yOpen(env, fmt.Sprintf("/admin/batches/%d", refused)),
		a11yOpen(env, fmt.Sprintf("/admin/batches/%d", letters)),
		a11yOpen(env, fmt.Sprintf("/admin/batches/%d", queued)),
	})
}
