package content_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"portal/internal/content"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/testdb"
)

func TestMarkupParagraphsAndSafeLinks(t *testing.T) {
	t.Parallel()
	body := "一段落目の一行目\r\n一行目の続き https://example.jp/a?b=1。\n\n\n" +
		"[手引き](https://example.jp/guide) と [カタログ](/catalog) と [悪い](javascript:alert(1)) と [外](//evil.example/)\n　\n" +
		"<script>alert(1)</script> http://example.jp/x."
	ps := content.Markup(body)
	if len(ps) != 3 {
		t.Fatalf("%d paragraphs, want 3: %+v", len(ps), ps)
	}
	if len(ps[0].Lines) != 2 {
		t.Errorf("first paragraph has %d lines, want 2", len(ps[0].Lines))
	}
	var links []string
	for _, p := range ps {
		for _, l := range p.Lines {
			for _, s := range l {
				if s.Href != "" {
					links = append(links, s.Text+"→"+s.Href)
				}
			}
		}
	}
	want := []string{"https://example.jp/a?b=1→https://example.jp/a?b=1", "手引き→https://example.jp/guide",
		"カタログ→/catalog", "http://example.jp/x→http://example.jp/x"}
	if len(links) != len(want) {
		t.Fatalf("links %q, want %q", links, want)
	}
	for i := range want {
		if links[i] != want[i] {
			t.Errorf("link %d = %q, want %q", i, links[i], want[i])
		}
	}
	// What is not a safe link stays text, as typed.
	if got := ps[2].Lines[0][0].Text; got != "<script>alert(1)</script> " {
		t.Errorf("raw HTML became %q", got)
	}
	if got := content.PlainText("[手引き](https://example.jp/g)\n\n本文"); got != "手引き（https://example.jp/g）\n\n本文" {
		t.Errorf("plain text %q", got)
	}
}

func TestSaveNewsSchedulesAndUnpublishes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	sv, err := operator.Create(ctx, db, operator.NewOperator{Login: "sv", Name: "監督", Role: operator.RoleSupervisor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	svc := content.NewService(db)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, jp.Zone)
	svc.Now = func() time.Time { return now }

	var invalid *content.InvalidError
	_, err = svc.SaveNews(ctx, sv.ID, 0, content.NewsInput{Category: "ニュース", Title: "", Body: "", Publish: content.PublishScheduled, Date: "2026-11-30", Time: "09:00"})
	if !errors.As(err, &invalid) {
		t.Fatalf("bad input: %v", err)
	}
	for _, f := range []string{"category", "title", "body", "publish_date"} {
		if !invalid.Errors.Has(f) {
			t.Errorf("no error for %s: %v", f, invalid.Errors)
		}
	}
	n, err := svc.SaveNews(ctx, sv.ID, 0, content.NewsInput{Category: content.CategoryImportant, Title: "予約のお知らせ",
		Body: "本文", Publish: content.PublishScheduled, Date: "2026-12-01", Time: "10:30"})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 1, 10, 30, 0, 0, jp.Zone)
	if n.PublishAt == nil || !n.PublishAt.Equal(want) || n.State(now) != content.StateScheduled || !n.Important() {
		t.Fatalf("scheduled item %+v", n)
	}
	// Keep the publish time while editing; "keep" is refused for a draft.
	n2, err := svc.SaveNews(ctx, sv.ID, n.ID, content.NewsInput{Category: content.CategoryNews, Title: "予約のお知らせ（訂正）",
		Body: "本文", Publish: content.PublishKeep})
	if err != nil || !n2.PublishAt.Equal(want) || n2.Title != "予約のお知らせ（訂正）" {
		t.Fatalf("edit keeping the time: %+v %v", n2, err)
	}
	if err := svc.UnpublishNews(ctx, sv.ID, n.ID); err != nil {
		t.Fatal(err)
	}
	n3, _ := svc.AnyNews(ctx, n.ID)
	if n3.PublishAt != nil || n3.State(now) != content.StateDraft {
		t.Errorf("unpublished item %+v", n3)
	}
	if _, err := svc.SaveNews(ctx, sv.ID, n.ID, content.NewsInput{Category: content.CategoryNews, Title: "x", Body: "y", Publish: content.PublishKeep}); !errors.As(err, &invalid) {
		t.Errorf("keep on a draft: %v", err)
	}
	if err := svc.UnpublishNews(ctx, sv.ID, 999999); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("unknown item: %v", err)
	}
	entries, err := operator.AuditEntries(ctx, db, operator.AuditQuery{TargetType: content.TargetNews, TargetID: n.ID})
	if err != nil || len(entries) != 3 {
		t.Errorf("audit entries %d %v, want create, update, unpublish", len(entries), err)
	}
}
