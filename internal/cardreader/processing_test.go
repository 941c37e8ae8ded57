package cardreader_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/cardreader"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/operator"
	"portal/internal/testdb"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		q     string
		kind  cardreader.SearchKind
		value string
	}{
		{"", cardreader.SearchNone, ""},
		{"　 ", cardreader.SearchNone, ""},
		{"CR261201-000042", cardreader.SearchReference, "CR261201-000042"},
		{" cr261201-000042 ", cardreader.SearchReference, "CR261201-000042"},
		{"ＣＲ２６１２０１－００００４２", cardreader.SearchReference, "CR261201-000042"},
		{"CR261201000042", cardreader.SearchName, "CR261201000042"},
		{"1312345678", cardreader.SearchCode10, "1312345678"},
		{"13-1-2345678", cardreader.SearchCode10, "1312345678"},
		{"１３１２３４５６７８", cardreader.SearchCode10, "1312345678"},
		{"2345678", cardreader.SearchCode7, "2345678"},
		{"234-5678", cardreader.SearchCode7, "2345678"},
		{"12345", cardreader.SearchName, "12345"},
		{"港区 クリニック", cardreader.SearchName, "港区 クリニック"},
		{"<script>", cardreader.SearchName, "<script>"},
	} {
		kind, value := cardreader.Search(c.q)
		if kind != c.kind || value != c.value {
			t.Errorf("Search(%q) = %v %q, want %v %q", c.q, kind, value, c.kind, c.value)
		}
	}
}

func TestCheckDeliveryDate(t *testing.T) {
	t.Parallel()
	// 2026-12-01 00:30 JST is still 2026-11-30 in UTC: the day counts in JST.
	now := time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jp.Zone) }
	for _, c := range []struct {
		date time.Time
		want error
	}{
		{day(2026, 12, 1), nil},
		{day(2026, 11, 30), cardreader.ErrDeliveryDatePast},
		{day(2025, 12, 1), cardreader.ErrDeliveryDatePast},
		{day(2027, 12, 1), nil},
		{day(2027, 12, 2), cardreader.ErrDeliveryDateFar},
		{day(2100, 1, 1), cardreader.ErrDeliveryDateFar},
		{time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC), nil}, // 12-01 01:00 JST
	} {
		if got := cardreader.CheckDeliveryDate(c.date, now); !errors.Is(got, c.want) {
			t.Errorf("CheckDeliveryDate(%v) = %v, want %v", c.date, got, c.want)
		}
	}
	if got := cardreader.LatestDeliveryDate(now); !got.Equal(day(2027, 12, 1)) {
		t.Errorf("latest %v", got)
	}
}

func TestDeliveryDateSetCorrectedAndMailed(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fid, aid := fx.facility(t, "1100001", "診療所", "訂正クリニック")
	app, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	op, err := operator.Create(ctx, fx.db, operator.NewOperator{Login: "op", Name: "配送 担当", Role: operator.RoleOperator, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	s := cardreader.NewService(fx.db, "https://portal.example.jp")
	today := jp.Today()
	first, second := today.AddDate(0, 0, 7), today.AddDate(0, 0, 14)

	if err := s.SetDeliveryDate(ctx, op, app.ID, today.AddDate(0, 0, -1), ""); !errors.Is(err, cardreader.ErrDeliveryDatePast) {
		t.Fatalf("past date: %v", err)
	}
	if err := s.SetDeliveryDate(ctx, op, app.ID, today.AddDate(1, 0, 1), ""); !errors.Is(err, cardreader.ErrDeliveryDateFar) {
		t.Fatalf("far date: %v", err)
	}
	if err := s.SetDeliveryDate(ctx, op, app.ID, first, "2026-01-01"); !errors.Is(err, cardreader.ErrStale) {
		t.Fatalf("seen a date that is not there: %v", err)
	}
	if err := s.SetDeliveryDate(ctx, op, app.ID, first, ""); err != nil {
		t.Fatal(err)
	}
	// A second operator still looking at the page without a date is refused.
	if err := s.SetDeliveryDate(ctx, op, app.ID, second, ""); !errors.Is(err, cardreader.ErrStale) {
		t.Fatalf("stale page: %v", err)
	}
	if err := s.SetDeliveryDate(ctx, op, app.ID, first, jp.ISODate(first)); !errors.Is(err, cardreader.ErrSameDate) {
		t.Fatalf("same date: %v", err)
	}
	if err := s.SetDeliveryDate(ctx, op, app.ID, second, jp.ISODate(first)); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkShipped(ctx, op, app.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDeliveryDate(ctx, op, app.ID, first, jp.ISODate(second)); !errors.Is(err, cardreader.ErrBadTransition) {
		t.Fatalf("correction after shipping: %v", err)
	}

	type sent struct{ template, subject, body string }
	rows, err := fx.db.Query(ctx, `SELECT template, subject, body FROM mail_outbox WHERE facility_id = $1 AND template LIKE 'cardreader_delivery%' ORDER BY id`, fid)
	if err != nil {
		t.Fatal(err)
	}
	mails, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (sent, error) {
		var m sent
		return m, r.Scan(&m.template, &m.subject, &m.body)
	})
	if err != nil || len(mails) != 2 {
		t.Fatalf("mails: %+v %v", mails, err)
	}
	if mails[0].template != "cardreader_delivery_date" || !strings.Contains(mails[0].body, jp.Date(first)) {
		t.Errorf("first mail: %+v", mails[0])
	}
	if mails[1].subject != "【訂正】顔認証付きカードリーダー配送予定日のお知らせ" ||
		!strings.Contains(mails[1].body, "■配送予定日（訂正後）\n"+jp.Date(second)) || !strings.Contains(mails[1].body, "■配送予定日（訂正前）\n"+jp.Date(first)) {
		t.Errorf("correction mail: %+v", mails[1])
	}
	hist, err := cardreader.History(ctx, fx.db, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range hist {
		steps = append(steps, e.Action+"/"+e.Who())
	}
	want := []string{"申込/医療機関等", "配送予定日決定/コールセンター（配送 担当）", "配送予定日訂正/コールセンター（配送 担当）", "発送済/コールセンター（配送 担当）"}
	if !slices.Equal(steps, want) || hist[2].Detail != jp.Date(first)+" → "+jp.Date(second) {
		t.Errorf("history %v (%q)", steps, hist[2].Detail)
	}
	entries, err := operator.AuditEntries(ctx, fx.db, operator.AuditQuery{OperatorID: op.ID})
	if err != nil || len(entries) != 3 || entries[1].Action != cardreader.AuditDeliveryDateCorrected ||
		!strings.Contains(string(entries[1].Detail), `"previous": "`+jp.ISODate(first)+`"`) {
		t.Fatalf("audit: %+v %v", entries, err)
	}
}

// Regression: the check that nobody changed the date since the operator's page was drawn
// read the application before locking it, so a second operator whose step waited on the
// first one's lock went on to overwrite the date just set (and mailed a 【訂正】) instead
// of being told it had changed.
func TestDeliveryDateStaleWhileAnotherStepRuns(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fid, aid := fx.facility(t, "1100002", "診療所", "同時クリニック")
	app, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1}))
	if err != nil {
		t.Fatal(err)
	}
	op, err := operator.Create(ctx, fx.db, operator.NewOperator{Login: "op2", Name: "配送 二郎", Role: operator.RoleOperator, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	s := cardreader.NewService(fx.db, "https://portal.example.jp")
	first, second := jp.Today().AddDate(0, 0, 7), jp.Today().AddDate(0, 0, 14)

	// Another operator's step, not yet committed, holds the application.
	other, err := fx.db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Rollback(ctx) }()
	if _, err := other.Exec(ctx, `UPDATE cardreader_applications SET delivery_date = $2, status = $3 WHERE id = $1`,
		app.ID, first, cardreader.StatusScheduled); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.SetDeliveryDate(ctx, op, app.ID, second, "") }()
	testdb.WaitForLock(t, fx.db)
	if err := other.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, cardreader.ErrStale) {
		t.Fatalf("the date set meanwhile was overwritten: %v", err)
	}
	var n int
	if err := fx.db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE facility_id = $1 AND template LIKE 'cardreader_delivery%'`,
		fid).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d delivery mails (%v)", n, err)
	}
}

// TestExportWritesAddressesAlike: the default address (the master's, which starts with
// the prefecture) and a changed one (typed without it) come out the same way: the
// prefecture in 送付先都道府県, the rest in 送付先住所.
func TestExportWritesAddressesAlike(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fid, aid := fx.facility(t, "1200001", "診療所", "既定住所クリニック")
	if _, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})); err != nil {
		t.Fatal(err)
	}
	gid, bid := fx.facility(t, "1200002", "診療所", "変更住所クリニック")
	in := input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})
	in.Delivery = cardreader.Delivery{Change: true, Postal: "1000013", PrefectureCode: 13, Address: "千代田区霞が関3-3-3",
		Name: "分室", Phone: "03-1111-2222", Contact: "佐藤"}
	if _, _, err := fx.submit(t, gid, bid, in); err != nil {
		t.Fatal(err)
	}
	// A master address that does not start with its prefecture is left as it is.
	hid, cid := fx.facility(t, "1200003", "診療所", "県名なしクリニック")
	if _, err := fx.db.Exec(ctx, `UPDATE facilities SET address = '港区芝公園4-2-8' WHERE id = $1`, hid); err != nil {
		t.Fatal(err)
	}
	if _, _, err := fx.submit(t, hid, cid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := cardreader.Export(ctx, fx.db, &buf, "富士通Japan", "", jp.UTF8BOM); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		",既定住所クリニック,診療所,富士通Japan,Caora,1,100-0013,東京都,千代田区霞が関1-2-2,,既定住所クリニック,",
		",100-0013,東京都,千代田区霞が関3-3-3,,分室,03-1111-2222,佐藤,",
		",100-0013,東京都,港区芝公園4-2-8,,県名なしクリニック,",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, ",東京都,東京都") {
		t.Errorf("prefecture repeated:\n%s", out)
	}
}

// TestListSortsPageFromBothEnds walks every offered sort, filtered and not, a page of 7
// at a time forwards from the first page and backwards from the last, against the same
// order computed by PostgreSQL.
func TestListSortsPageFromBothEnds(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	for i := range 40 {
		kind := []string{"病院", "診療所", "薬局"}[i%3]
		fid, aid := fx.facility(t, fmt.Sprintf("13%05d", 40-i), kind, fmt.Sprintf("施設%02d", i))
		if _, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[i%3].ID, Quantity: 1})); err != nil {
			t.Fatal(err)
		}
	}
	// Some delivery dates, many shared, the rest undecided; some equal creation times.
	if _, err := fx.db.Exec(ctx, `UPDATE cardreader_applications SET status = '配送予定日決定',
		delivery_date = DATE '2027-01-01' + (id % 4)::int WHERE id % 3 <> 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.db.Exec(ctx, `UPDATE cardreader_applications SET created_at = timestamptz '2026-12-01 10:00+09' WHERE id % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	orders := map[string]string{
		"new": "created_at DESC, id DESC", "old": "created_at, id",
		"delivery": "coalesce(delivery_date, DATE '9999-12-31'), id", "prefecture": "facility_code, id",
	}
	for _, f := range []cardreader.Filter{{}, {Status: cardreader.StatusScheduled}, {Kind: "薬局"}, {Prefecture: 13, Maker: "アルメックス"}} {
		for _, key := range cardreader.SortKeys() {
			f.Sort = key
			cond := "true"
			switch {
			case f.Status != "":
				cond = "status = '配送予定日決定'"
			case f.Kind != "":
				cond = "facility_kind = '薬局'"
			case f.Maker != "":
				cond = "id IN (SELECT application_id FROM cardreader_application_items WHERE model_id = " + fmt.Sprint(fx.catalog[2].ID) + ")"
			}
			rows, err := fx.db.Query(ctx, `SELECT id FROM cardreader_applications WHERE `+cond+` ORDER BY `+orders[key])
			if err != nil {
				t.Fatal(err)
			}
			want, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				t.Fatal(err)
			}
			list := func(r listing.CursorRequest) listing.CursorPage[cardreader.Row] {
				t.Helper()
				r.Limit = 7
				p, err := cardreader.List(ctx, fx.db, cardreader.ListRequest{Filter: f, CursorRequest: r})
				if err != nil {
					t.Fatal(err)
				}
				if int(p.Count) != len(want) {
					t.Fatalf("%+v: count %d, want %d", f, p.Count, len(want))
				}
				return p
			}
			var forward, backward []int64
			for p := list(listing.CursorRequest{}); ; p = list(listing.CursorRequest{After: p.Next}) {
				for _, r := range p.Rows {
					forward = append(forward, r.ID)
				}
				if p.Next == nil {
					break
				}
			}
			for p := list(listing.CursorRequest{Last: true}); ; p = list(listing.CursorRequest{Before: p.Prev}) {
				ids := make([]int64, 0, len(p.Rows))
				for _, r := range p.Rows {
					ids = append(ids, r.ID)
				}
				backward = append(ids, backward...)
				if p.Prev == nil {
					break
				}
			}
			if !slices.Equal(forward, want) || !slices.Equal(backward, want) {
				t.Errorf("%+v:\nforward  %v\nbackward %v\nwant     %v", f, forward, backward, want)
			}
		}
	}
}

// TestApplicationFollowsTheFacility: the copy of the facility's code, name and kind in
// the application follows a change of the master.
func TestApplicationFollowsTheFacility(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	fid, aid := fx.facility(t, "1300001", "診療所", "旧名クリニック")
	if _, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.db.Exec(ctx, `UPDATE facilities SET name = '新名病院', kind = '病院', code = '1300009' WHERE id = $1`, fid); err != nil {
		t.Fatal(err)
	}
	p, err := cardreader.List(ctx, fx.db, cardreader.ListRequest{Filter: cardreader.Filter{Query: "新名"}, CursorRequest: listing.CursorRequest{Limit: 5}})
	if err != nil || len(p.Rows) != 1 || p.Rows[0].Kind != "病院" || p.Rows[0].TenDigitCode != "1311300009" {
		t.Fatalf("after the master changed: %+v %v", p.Rows, err)
	}
}

// TestSearchByPartOfTheName: any part of the name, Japanese or not, in any case, with
// characters outside the BMP and LIKE's own wildcards taken literally.
func TestSearchByPartOfTheName(t *testing.T) {
	t.Parallel()
	fx := newFixture(t)
	ctx := context.Background()
	for i, name := range []string{"ABCクリニック", "𠮷野家診療所", "100%診療所", "港_北病院"} {
		fid, aid := fx.facility(t, fmt.Sprintf("14%05d", i), "診療所", name)
		if _, _, err := fx.submit(t, fid, aid, input(cardreader.Item{ModelID: fx.catalog[0].ID, Quantity: 1})); err != nil {
			t.Fatal(err)
		}
	}
	for q, want := range map[string]int{
		"abc": 1, "Cクリ": 1, "リニ": 1, "クリニック": 1, "𠮷野": 1, "𠮷": 1, "診療所": 2, "%": 1, "0%診": 1, "_": 1, "港_北": 1,
		"港北": 0, "ABCD": 0, "吉野": 0, "g30": 0,
	} {
		p, err := cardreader.List(ctx, fx.db, cardreader.ListRequest{Filter: cardreader.Filter{Query: q}, CursorRequest: listing.CursorRequest{Limit: 10}})
		if err != nil || len(p.Rows) != want {
			t.Errorf("%q: %d rows (%v), want %d", q, len(p.Rows), err, want)
		}
	}
}
