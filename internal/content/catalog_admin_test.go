package content_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"portal/internal/content"
	"portal/internal/operator"
	"portal/internal/testdb"
)

func catalogOrder(t *testing.T, svc *content.Service) string {
	t.Helper()
	makers, err := svc.Makers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, m := range makers {
		var ps []string
		for _, p := range m.Products {
			ps = append(ps, p.Product)
		}
		parts = append(parts, m.Name+":"+strings.Join(ps, ","))
	}
	return strings.Join(parts, " ")
}

func TestCatalogManagement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	sv, err := operator.Create(ctx, db, operator.NewOperator{Login: "sv", Name: "監督", Role: operator.RoleSupervisor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	svc := content.NewService(db)
	add := func(maker, product string) int64 {
		t.Helper()
		id, err := svc.AddCardReader(ctx, sv.ID, content.CatalogInput{Maker: maker, Product: product, Size: "W100×D100×H200mm", MakerURL: "https://example.jp/" + product})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a1 := add("A社", "A-1")
	b1 := add("B社", "B-1")
	a2 := add("A社", "A-2")
	if got := catalogOrder(t, svc); got != "A社:A-1,A-2 B社:B-1" {
		t.Fatalf("order %q", got)
	}
	var invalid *content.InvalidError
	if _, err := svc.AddCardReader(ctx, sv.ID, content.CatalogInput{Maker: "A社", Product: "A-1"}); !errors.As(err, &invalid) || !invalid.Errors.Has("product") {
		t.Errorf("duplicate product: %v", err)
	}
	if _, err := svc.AddCardReader(ctx, sv.ID, content.CatalogInput{Maker: "C社", Product: "C", MakerURL: "javascript:alert(1)"}); !errors.As(err, &invalid) || !invalid.Errors.Has("maker_url") {
		t.Errorf("javascript URL: %v", err)
	}
	if err := svc.MoveCardReader(ctx, sv.ID, a2, content.Up); err != nil {
		t.Fatal(err)
	}
	if err := svc.MoveMaker(ctx, sv.ID, b1, content.Up); err != nil {
		t.Fatal(err)
	}
	if got := catalogOrder(t, svc); got != "B社:B-1 A社:A-2,A-1" {
		t.Fatalf("after moves %q", got)
	}
	// Moving past the end changes nothing; an unknown product is not found.
	if err := svc.MoveMaker(ctx, sv.ID, b1, content.Up); err != nil {
		t.Fatal(err)
	}
	if err := svc.MoveCardReader(ctx, sv.ID, 999999, content.Up); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("unknown product: %v", err)
	}
	// A product moved to another maker joins that maker's group.
	if err := svc.UpdateCardReader(ctx, sv.ID, a1, content.CatalogInput{Maker: "B社", Product: "A-1改"}); err != nil {
		t.Fatal(err)
	}
	if got := catalogOrder(t, svc); got != "B社:B-1,A-1改 A社:A-2" {
		t.Fatalf("after the maker change %q", got)
	}
	if err := svc.SetCardReaderShown(ctx, sv.ID, a2, false); err != nil {
		t.Fatal(err)
	}
	public, _ := svc.CardReaders(ctx, true)
	for _, m := range public {
		if m.ID == a2 {
			t.Error("a hidden product is in the public catalog")
		}
	}
	if all, _ := svc.CardReaders(ctx, false); len(all) != 3 {
		t.Errorf("all products %d, want 3", len(all))
	}
}
