package content_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"portal/internal/content"
	"portal/internal/testdb"
)

func TestSeedDemoIsIdempotent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	for i := 0; i < 2; i++ {
		if err := content.SeedDemo(ctx, db); err != nil {
			t.Fatalf("seed run %d: %v", i+1, err)
		}
	}
	readers, err := content.ListCardReaders(ctx, db, true)
	if err != nil {
		t.Fatal(err)
	}
	var makers []string
	for _, r := range readers {
		makers = append(makers, r.Maker)
		if r.Size != "" {
			t.Errorf("%s: size %q is not in the source documents", r.Maker, r.Size)
		}
	}
	want := []string{"富士通Japan株式会社", "パナソニック コネクト株式会社", "株式会社アルメックス", "キヤノンマーケティングジャパン株式会社", "アトラス情報サービス株式会社"}
	if strings.Join(makers, ",") != strings.Join(want, ",") {
		t.Errorf("makers after two runs = %v, want %v", makers, want)
	}
	n, err := content.CountNews(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 || n > 6 {
		t.Errorf("news after two runs = %d, want 4–6 (no duplicates)", n)
	}

	// A supervisor's later edit survives another seed run.
	edited := readers[0]
	edited.Notes = "在庫僅少"
	if _, err := content.UpsertCardReader(ctx, db, edited); err != nil {
		t.Fatal(err)
	}
	if err := content.SeedDemo(ctx, db); err != nil {
		t.Fatal(err)
	}
	got, err := content.CardReaderByID(ctx, db, edited.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Notes != "在庫僅少" {
		t.Errorf("seed overwrote an edit: notes %q", got.Notes)
	}
}

func TestNewsStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	base := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	var ids []int64
	for i := 0; i < 3; i++ {
		at := base.AddDate(0, 0, i)
		id, err := content.InsertNews(ctx, db, content.News{PublishAt: &at, Title: "お知らせ" + string(rune('A'+i)), Body: "本文"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	page, err := content.ListNews(ctx, db, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].Title != "お知らせC" || page[1].Title != "お知らせB" {
		t.Fatalf("first page = %+v, want C, B (newest first)", page)
	}
	if page[0].Category != "お知らせ" {
		t.Errorf("default category = %q", page[0].Category)
	}
	page, err = content.ListNews(ctx, db, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].Title != "お知らせA" {
		t.Fatalf("second page = %+v, want A", page)
	}
	n, err := content.NewsByID(ctx, db, ids[1])
	if err != nil || n.Title != "お知らせB" || !n.PublishedOn().Equal(base.AddDate(0, 0, 1)) {
		t.Fatalf("NewsByID = %+v, %v", n, err)
	}
	if _, err := content.NewsByID(ctx, db, 999999); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("unknown id: err = %v, want ErrNotFound", err)
	}
	n.Title = "訂正"
	if err := content.UpdateNews(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	if err := content.DeleteNews(ctx, db, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := content.DeleteNews(ctx, db, ids[0]); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if _, err := content.InsertNews(ctx, db, content.News{Title: " ", Body: "x"}); err == nil {
		t.Error("blank title accepted")
	}
	// A draft and a scheduled item are not public, not even by ID.
	later := time.Now().Add(time.Hour)
	draft, _ := content.InsertNews(ctx, db, content.News{Title: "下書き", Body: "x"})
	scheduled, _ := content.InsertNews(ctx, db, content.News{Title: "予約", Body: "x", PublishAt: &later})
	for _, id := range []int64{draft, scheduled} {
		if _, err := content.NewsByID(ctx, db, id); !errors.Is(err, content.ErrNotFound) {
			t.Errorf("unpublished %d readable: %v", id, err)
		}
	}
	if c, _ := content.CountNews(ctx, db); c != 2 {
		t.Errorf("published count %d, want 2", c)
	}
	next, err := content.NextPublish(ctx, db)
	if err != nil || next == nil || !next.Equal(later.Truncate(time.Microsecond)) {
		t.Errorf("next publish %v %v, want %v", next, err, later)
	}
}

func TestCardReaderUpsert(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	id, err := content.UpsertCardReader(ctx, db, content.CardReaderModel{Maker: "M", Product: "P-1", Size: "", Active: true, SortOrder: 2})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := content.UpsertCardReader(ctx, db, content.CardReaderModel{Maker: "M", Product: "P-1", Notes: "更新", Active: false, SortOrder: 2})
	if err != nil {
		t.Fatal(err)
	}
	if id != id2 {
		t.Errorf("upsert made a second row: %d, %d", id, id2)
	}
	if active, _ := content.ListCardReaders(ctx, db, true); len(active) != 0 {
		t.Errorf("inactive model listed publicly: %+v", active)
	}
	all, err := content.ListCardReaders(ctx, db, false)
	if err != nil || len(all) != 1 || all[0].Notes != "更新" || all[0].Label() != "M／P-1" {
		t.Errorf("all = %+v, %v", all, err)
	}
	if _, err := content.CardReaderByID(ctx, db, id+100); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}
