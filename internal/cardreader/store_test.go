package cardreader_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/encoding/japanese"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/cardreader"
	"portal/internal/database"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/testdb"
)

type fixture struct {
	db      *pgxpool.Pool
	catalog []cardreader.Model
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.New(t)
	ctx := context.Background()
	for i, m := range [][2]string{{"富士通Japan", "Caora"}, {"パナソニック コネクト", "XC-STFR1J"}, {"アルメックス", "マイナタッチ"}} {
		if _, err := db.Exec(ctx, `INSERT INTO card_reader_models (maker, product, sort_order) VALUES ($1, $2, $3)`, m[0], m[1], i); err != nil {
			t.Fatal(err)
		}
	}
	catalog, err := cardreader.Catalog(ctx, db, 0)
	if err != nil || len(catalog) != 3 {
		t.Fatalf("catalog: %v %v", catalog, err)
	}
	return &fixture{db: db, catalog: catalog}
}

// facility makes a master facility with an account and returns both ids.
func (fx *fixture) facility(t *testing.T, code, kind, name string) (facilityID, accountID int64) {
	t.Helper()
	ctx := context.Background()
	score := 1
	if kind == "薬局" {
		score = 4
	}
	err := fx.db.QueryRow(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name,
		postal_code, address, phone) VALUES (13, $1, $2, $3, $4, '開設者', '1000013', '東京都千代田区霞が関1-2-2', '03-0000-0000')
		RETURNING id`, score, code, kind, name).Scan(&facilityID)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Create(ctx, fx.db, account.NewAccount{FacilityID: facilityID, Email: code + "@example.jp", PasswordHash: "x",
		Profile: account.Profile{FacilityName: name, FounderName: "開設者", Phone: "03-0000-0000", ContactName: "担当者"}})
	if err != nil {
		t.Fatal(err)
	}
	return facilityID, a.ID
}

func (fx *fixture) submit(t *testing.T, facilityID, accountID int64, in cardreader.Input) (cardreader.Application, application.Outcome, error) {
	t.Helper()
	var (
		app cardreader.Application
		out application.Outcome
	)
	err := database.WithTx(context.Background(), fx.db, func(tx pgx.Tx) error {
		var err error
		app, out, err = cardreader.Submit(context.Background(), tx, facilityID, accountID, in)
		return err
	})
	return app, out, err
}

func input(items ...cardreader.Item) cardreader.Input {
	in := cardreader.Input{Survey: cardreader.Survey{IntroYear: 2027, IntroMonth: 4, OnlineClaim: cardreader.Introduced}}
	copy(in.Items[:], items)
	return in
}

func TestApplyChangeCancel(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fid, aid := fx.facility(t, "1000001", "病院", "テスト病院")
	m := fx.catalog

	app, out, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: m[0].ID, Quantity: 2}, cardreader.Item{ModelID: m[1].ID, Quantity: 1}))
	if err != nil || out != application.Created || app.Status != cardreader.StatusReceived || !strings.HasPrefix(app.Reference, "CR") {
		t.Fatalf("apply: %+v %v %v", app, out, err)
	}
	// A double submit of the same content records nothing new.
	again, out, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: m[0].ID, Quantity: 2}, cardreader.Item{ModelID: m[1].ID, Quantity: 1}))
	if err != nil || out != application.Unchanged || again.ID != app.ID {
		t.Fatalf("double submit: %v %v %v", again.ID, out, err)
	}
	changed, out, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: m[2].ID, Quantity: 3}))
	if err != nil || out != application.Changed || changed.ID != app.ID {
		t.Fatalf("change: %v %v", out, err)
	}
	got, err := cardreader.ForFacility(ctx, fx.db, fid)
	if err != nil || got.Input.Items[0].ModelID != m[2].ID || got.Input.Items[1].Used() {
		t.Fatalf("after change: %+v %v", got.Input.Items, err)
	}
	cancelled, out, err := fx.submit(t, fid, aid, input())
	if err != nil || out != application.Cancelled || cancelled.Status != cardreader.StatusCancelled {
		t.Fatalf("cancel by all ---: %v %v", out, err)
	}
	if _, err := cardreader.ForFacility(ctx, fx.db, fid); !errors.Is(err, cardreader.ErrNotFound) {
		t.Fatalf("cancelled application still live: %v", err)
	}
	hist, err := cardreader.History(ctx, fx.db, app.ID)
	if err != nil || len(hist) != 3 || hist[0].Action != "申込" || hist[1].Action != "変更" || hist[2].Action != "取消" {
		t.Fatalf("history: %+v %v", hist, err)
	}
	// A new application after cancelling is a new record.
	if next, out, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: m[0].ID, Quantity: 1})); err != nil || out != application.Created || next.ID == app.ID {
		t.Fatalf("reapply: %v %v", out, err)
	}
}

func TestConcurrentSubmitsMakeOneApplication(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	fid, aid := fx.facility(t, "1000002", "診療所", "テスト診療所")
	in := input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, _, err := fx.submit(t, fid, aid, in)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := fx.db.QueryRow(context.Background(), `SELECT count(*) FROM cardreader_applications WHERE facility_id = $1`, fid).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d applications, want 1 (%v)", n, err)
	}
}

func TestOperatorStepsLockTheApplication(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fid, aid := fx.facility(t, "1000003", "薬局", "テスト薬局")
	app, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[1].ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	err = database.WithTx(ctx, fx.db, func(tx pgx.Tx) error {
		_, err := cardreader.MarkShipped(ctx, tx, app.ID, 1)
		return err
	})
	if !errors.Is(err, cardreader.ErrBadTransition) {
		t.Fatalf("ship before a delivery date: %v", err)
	}
	date := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	err = database.WithTx(ctx, fx.db, func(tx pgx.Tx) error {
		a, previous, err := cardreader.SetDeliveryDate(ctx, tx, app.ID, date, 1)
		if err == nil && (a.Status != cardreader.StatusScheduled || !a.DeliveryDate.Equal(date) || previous != nil) {
			t.Errorf("after delivery date: %+v %v", a, previous)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})); !errors.Is(err, cardreader.ErrLocked) {
		t.Fatalf("change after delivery date: %v", err)
	}
	err = database.WithTx(ctx, fx.db, func(tx pgx.Tx) error {
		_, err := cardreader.Cancel(ctx, tx, fid, aid)
		return err
	})
	if !errors.Is(err, cardreader.ErrLocked) {
		t.Fatalf("cancel after delivery date: %v", err)
	}
	err = database.WithTx(ctx, fx.db, func(tx pgx.Tx) error {
		_, err := cardreader.MarkShipped(ctx, tx, app.ID, 1)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = database.WithTx(ctx, fx.db, func(tx pgx.Tx) error {
		_, _, err := cardreader.SetDeliveryDate(ctx, tx, 987654, date, 1)
		return err
	})
	if !errors.Is(err, cardreader.ErrNotFound) {
		t.Fatalf("unknown application: %v", err)
	}
}

func TestListFiltersAndExport(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	m := fx.catalog
	h, ha := fx.facility(t, "2000001", "病院", "=HYPERLINK(\"x\") 病院")
	c, ca := fx.facility(t, "2000002", "診療所", "髙橋クリニック")
	p, pa := fx.facility(t, "2000003", "薬局", "みなみ薬局")
	mustSubmit := func(fid, aid int64, in cardreader.Input) {
		if _, _, err := fx.submit(t, fid, aid, in); err != nil {
			t.Fatal(err)
		}
	}
	mustSubmit(h, ha, input(cardreader.Item{ModelID: m[0].ID, Quantity: 2}, cardreader.Item{ModelID: m[1].ID, Quantity: 1}))
	cin := input(cardreader.Item{ModelID: m[0].ID, Quantity: 1})
	cin.Delivery = cardreader.Delivery{Change: true, Postal: "5300001", PrefectureCode: 27, Address: "大阪市北区梅田1-1", Name: "分院", Phone: "06-1111-2222", Contact: "佐藤"}
	mustSubmit(c, ca, cin)
	mustSubmit(p, pa, input(cardreader.Item{ModelID: m[2].ID, Quantity: 1}))

	for _, tc := range []struct {
		f    cardreader.Filter
		want int
	}{
		{cardreader.Filter{}, 3},
		{cardreader.Filter{Maker: "富士通Japan"}, 2},
		{cardreader.Filter{Kind: "薬局"}, 1},
		{cardreader.Filter{Status: cardreader.StatusShipped}, 0},
		{cardreader.Filter{Prefecture: 13, Maker: "アルメックス"}, 1},
		{cardreader.Filter{Sort: "'; DROP TABLE facilities; --"}, 3},
		{cardreader.Filter{Query: "髙橋"}, 1},
		{cardreader.Filter{Query: "クリニック", Kind: "病院"}, 0},
		{cardreader.Filter{Query: "1312000002"}, 1},
		{cardreader.Filter{Query: "２０００００３"}, 1},
		{cardreader.Filter{Query: "%"}, 0},
		{cardreader.Filter{Query: "_"}, 0},
		{cardreader.Filter{Query: "' OR 1=1 --"}, 0},
	} {
		p, err := cardreader.List(ctx, fx.db, cardreader.ListRequest{Filter: tc.f, CursorRequest: listing.CursorRequest{Limit: 50}})
		if err != nil || int(p.Count) != tc.want || len(p.Rows) != tc.want {
			t.Errorf("List(%+v) = %d rows, count %d, %v; want %d", tc.f, len(p.Rows), p.Count, err, tc.want)
		}
	}
	all, err := cardreader.List(ctx, fx.db, cardreader.ListRequest{CursorRequest: listing.CursorRequest{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	byRef, err := cardreader.List(ctx, fx.db, cardreader.ListRequest{Filter: cardreader.Filter{Query: strings.ToLower(all.Rows[1].Reference)},
		CursorRequest: listing.CursorRequest{Limit: 50}})
	if err != nil || len(byRef.Rows) != 1 || byRef.Rows[0].ID != all.Rows[1].ID {
		t.Errorf("by 申込番号: %+v %v", byRef.Rows, err)
	}

	var buf bytes.Buffer
	if err := cardreader.Export(ctx, fx.db, &buf, "富士通Japan", "", jp.UTF8BOM); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF申込番号,") || strings.Count(out, "\r\n") != 3 {
		t.Fatalf("UTF-8 export:\n%s", out)
	}
	if !strings.Contains(out, `'=HYPERLINK`) || !strings.Contains(out, "530-0001,大阪府,大阪市北区梅田1-1,,分院,06-1111-2222,佐藤") {
		t.Errorf("export rows:\n%s", out)
	}
	buf.Reset()
	if err := cardreader.Export(ctx, fx.db, &buf, "富士通Japan", "", jp.CP932); err != nil {
		t.Fatal(err)
	}
	decoded, err := japanese.ShiftJIS.NewDecoder().String(buf.String())
	if err != nil || !strings.HasPrefix(decoded, "申込番号,") || !strings.Contains(decoded, "髙橋クリニック") {
		t.Fatalf("CP932 export: %v\n%s", err, decoded)
	}
}

// A product a supervisor hides stays on the application that chose it: the facility still
// sees it offered (and may keep it), other facilities do not, and it is named everywhere.
func TestHiddenProductStaysOnItsApplication(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx := newFixture(t)
	fac, acc := fx.facility(t, "1000001", "診療所", "隠し医院")
	other, _ := fx.facility(t, "1000002", "診療所", "別の医院")
	hidden := fx.catalog[1]
	if _, _, err := fx.submit(t, fac, acc, input(cardreader.Item{ModelID: hidden.ID, Quantity: 1})); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.db.Exec(ctx, `UPDATE card_reader_models SET active = false WHERE id = $1`, hidden.ID); err != nil {
		t.Fatal(err)
	}
	has := func(list []cardreader.Model) bool {
		for _, m := range list {
			if m.ID == hidden.ID {
				return m.Hidden
			}
		}
		return false
	}
	if own, _ := cardreader.Catalog(ctx, fx.db, fac); !has(own) {
		t.Error("the facility that chose it no longer sees it")
	}
	if theirs, _ := cardreader.Catalog(ctx, fx.db, other); has(theirs) {
		t.Error("another facility is offered a hidden product")
	}
	// Standing, which the pages read, reads the application and offers the same catalog.
	svc := cardreader.NewService(fx.db, "http://portal.test")
	for _, id := range []int64{fac, other} {
		st, err := svc.Standing(ctx, id)
		want, _ := cardreader.Catalog(ctx, fx.db, id)
		if err != nil || !slices.Equal(st.Catalog, want) || (st.Application != nil) != (id == fac) {
			t.Errorf("standing of %d: %+v, %v; catalog %v", id, st, err, want)
		}
	}
	f, _ := account.FacilityByID(ctx, fx.db, fac)
	catalog, _ := cardreader.Catalog(ctx, fx.db, fac)
	if errs := cardreader.Validate(input(cardreader.Item{ModelID: hidden.ID, Quantity: 1}), f, catalog, true, time.Now()); !errs.Valid() {
		t.Errorf("keeping the hidden product refused: %v", errs)
	}
	all, _ := cardreader.Models(ctx, fx.db)
	if d := cardreader.Describe(input(cardreader.Item{ModelID: hidden.ID, Quantity: 1}), f, all); !strings.Contains(d.Readers[0], hidden.Product) {
		t.Errorf("the hidden product is not named: %v", d.Readers)
	}
}
