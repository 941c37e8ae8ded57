package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"portal/internal/mail"
	"portal/internal/webtest"
)

// obMail writes a mail to the outbox as a domain step would, with status set afterwards.
func obMail(t *testing.T, env *webtest.Env, to string, facilityID int64, status, lastError string) int64 {
	t.Helper()
	ctx := context.Background()
	// Written and set in one transaction, so the test's worker never sees it queued.
	tx, err := env.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	id, err := mail.Send(ctx, tx, mail.Message{To: to, Template: "account_unlocked", FacilityID: facilityID,
		Data: mail.AccountUnlocked{FacilityName: "みなと診療所", UnlockedAt: "2026年12月1日（令和8年12月1日） 10:00", BaseURL: env.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE mail_outbox SET status = $2, last_error = NULLIF($3, ''), attempts = 15,
		next_attempt_at = now() + interval '1 day', sent_at = CASE WHEN $2 = 'sent' THEN now() END,
		smtp_reply = CASE WHEN $2 = 'sent' THEN '250 2.0.0 OK' END WHERE id = $1`, id, status, lastError); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAdminOutbox(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	failed := obMail(t, env, "minato@example.jp", a.FacilityID, "failed", "550 5.1.1 <minato@example.jp>: Recipient address rejected")
	sent := obMail(t, env, "other@example.jp", 0, "sent", "")
	pruned := obMail(t, env, "old@example.jp", 0, "sent", "")
	if _, err := env.DB.Exec(context.Background(), `UPDATE mail_outbox SET body = NULL, body_pruned_at = now() WHERE id = $1`, pruned); err != nil {
		t.Fatal(err)
	}
	c := fcOperator(t, env, "op", "山田 担当")

	res := c.Get("/admin/mails")
	for _, want := range []string{"メール送信状況", "3件", "minato@example.jp", "送信失敗", "550 5.1.1", "送信済", "みなと診療所"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	for q, want := range map[string]string{
		"status=failed":                          "1件",
		"address=MINATO@example.jp":              "1件",
		"address=min&prefix=1":                   "1件",
		fmt.Sprintf("facility=%d", a.FacilityID): "1件",
		"template=account_unlocked":              "3件",
		"from=2000-01-01&until=2000-01-02":       "0件",
	} {
		if res := c.Get("/admin/mails?" + q); res.Status != 200 || !strings.Contains(res.Body, ">"+want) {
			t.Errorf("filter %s: %d, want %s", q, res.Status, want)
		}
	}
	for q, msg := range map[string]string{
		"status=lost":                      "この条件では絞り込めません",
		"address=mi&prefix=1":              "この条件では絞り込めません",
		"after=not-a-cursor":               "ページの位置を読み取れませんでした",
		"facility=abc":                     "施設IDは数字で入力してください",
		"from=2026-02-30":                  "期間は「2026-12-01」の形式",
		"from=2026-12-02&until=2026-12-01": "この条件では絞り込めません",
		"address=" + url.QueryEscape("<script>alert(1)</script>"): "0件",
	} {
		if res := c.Get("/admin/mails?" + q); res.Status >= 500 || !strings.Contains(res.Body, msg) || strings.Contains(res.Body, "<script>alert(1)") {
			t.Errorf("filter %s: %d, want %q", q, res.Status, msg)
		}
	}

	// The failed mail: its record, then 再試行 confirmed on its own page.
	page := fmt.Sprintf("/admin/mails/%d", failed)
	res = c.Get(page)
	if !strings.Contains(res.Body, "550 5.1.1") || !strings.Contains(res.Body, "ログイン停止解除のお知らせ") || !strings.Contains(res.Body, page+"/retry") ||
		strings.Contains(res.Body, page+"/resend") {
		t.Fatalf("failed mail page: %s", res.Body)
	}
	if res := c.Get(page + "/retry"); res.Status != 200 || !strings.Contains(res.Body, "再試行する") {
		t.Fatalf("retry confirmation: %d", res.Status)
	}
	if res := c.PostForm(page+"/retry", nil); res.Status != 303 || res.Location != page {
		t.Fatalf("retry: %d %s", res.Status, res.Location)
	}
	env.WaitMail(t, "minato@example.jp", "ログイン停止解除のお知らせ")
	if res := c.PostForm(page+"/retry", nil); res.Status != 409 || !strings.Contains(res.Body, "送信失敗の状態ではないため") {
		t.Fatalf("second retry: %d", res.Status)
	}

	// The sent one: 再送 makes a new mail, linked to it.
	page = fmt.Sprintf("/admin/mails/%d", sent)
	if res := c.PostForm(page+"/resend", nil); res.Status != 303 {
		t.Fatalf("resend: %d %s", res.Status, res.Body)
	}
	env.WaitMail(t, "other@example.jp", "ログイン停止解除のお知らせ")
	res = c.Get(page)
	if !strings.Contains(res.Body, "再送したメール") || !strings.Contains(res.Body, "山田 担当") {
		t.Errorf("resent mail page lacks its copy or the operator")
	}

	// An old mail: its text is gone, and it cannot go out again.
	page = fmt.Sprintf("/admin/mails/%d", pruned)
	if res := c.Get(page); !strings.Contains(res.Body, "本文は保存期間を過ぎたため削除されました") || strings.Contains(res.Body, page+"/resend\"") {
		t.Errorf("pruned mail page")
	}
	if res := c.PostForm(page+"/resend", nil); res.Status != 409 || !strings.Contains(res.Body, "本文は保存期間を過ぎたため削除されました") {
		t.Errorf("resend of a pruned mail: %d", res.Status)
	}
	if res := c.Get("/admin/mails/999999"); res.Status != 404 {
		t.Errorf("unknown mail: %d", res.Status)
	}
}
