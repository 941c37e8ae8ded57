package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"portal/internal/mail"
	"portal/internal/webtest"
)

func TestDevMailboxShowsCaughtMail(t *testing.T) {
	t.Parallel()
	env := webtest.NewWithCatcher(t)
	ctx := context.Background()
	hostile := `<script>alert("x")</script>&"'`
	err := mail.Enqueue(ctx, env.DB, "dev@example.jp", "cardreader_applied",
		mail.CardReaderApplied{FacilityName: hostile, ReferenceNumber: "CR-9", BaseURL: env.Config.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	env.WaitMail(t, "dev@example.jp", "申込完了")

	c := env.Client(t)
	res := c.Get("/dev/mailbox")
	if res.Status != 200 {
		t.Fatalf("status %d", res.Status)
	}
	for _, want := range []string{"開発用メールボックス", "dev@example.jp", "顔認証付きカードリーダー申込完了のお知らせ",
		"顔認証付きカードリーダー申込完了のご案内", "CR-9", "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#34;&#39;"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("mailbox lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "<script>alert") {
		t.Error("mail content not escaped")
	}
	if !strings.Contains(c.Get("/").Body, `href="/dev/mailbox"`) {
		t.Error("footer lacks the mailbox link in development")
	}
}

func TestDevMailboxPages(t *testing.T) {
	t.Parallel()
	env := webtest.NewWithCatcher(t)
	ctx := context.Background()
	for i := range 25 {
		err := mail.Enqueue(ctx, env.DB, fmt.Sprintf("p%02d@example.jp", i), "cardreader_applied",
			mail.CardReaderApplied{FacilityName: "施設", ReferenceNumber: fmt.Sprintf("REF-%02d", i), BaseURL: env.Config.BaseURL})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 25 {
		env.WaitMail(t, fmt.Sprintf("p%02d@example.jp", i), "申込完了")
	}
	c := env.Client(t)
	first := c.Get("/dev/mailbox")
	if first.Status != 200 || !strings.Contains(first.Body, "1 / 2 ページ（全25件）") || !strings.Contains(first.Body, "p24@example.jp") ||
		strings.Contains(first.Body, "p00@example.jp") {
		t.Errorf("page 1: %d\n%s", first.Status, first.Body)
	}
	second := c.Get("/dev/mailbox?page=2")
	if second.Status != 200 || !strings.Contains(second.Body, "p00@example.jp") || strings.Contains(second.Body, "p24@example.jp") {
		t.Errorf("page 2: %d\n%s", second.Status, second.Body)
	}
	for _, q := range []string{"3", "0", "-1", "abc", "99999999999999999999", "%00"} {
		if res := c.Get("/dev/mailbox?page=" + q); res.Status != 404 {
			t.Errorf("page=%s: %d, want 404", q, res.Status)
		}
	}
}

func TestDevMailboxAbsentWithSMTP(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	if res := c.Get("/dev/mailbox"); res.Status != 404 {
		t.Errorf("/dev/mailbox with SMTP configured: %d, want 404", res.Status)
	}
	if strings.Contains(c.Get("/").Body, "/dev/mailbox") {
		t.Error("footer links the mailbox although SMTP is configured")
	}
}
