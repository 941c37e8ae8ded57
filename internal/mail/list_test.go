package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/testdb"
)

// seeded is one outbox row for the list tests.
type seeded struct {
	to, template, status string
	facility             int64
	at                   time.Time
}

// seedMails writes rows straight into the outbox and returns their ids in order.
func seedMails(t *testing.T, db *pgxpool.Pool, rows ...seeded) []int64 {
	t.Helper()
	ids := make([]int64, len(rows))
	for i, r := range rows {
		if r.template == "" {
			r.template = "cardreader_applied"
		}
		if r.status == "" {
			r.status = StatusSent
		}
		err := db.QueryRow(context.Background(), `INSERT INTO mail_outbox
			(message_id, template, to_addr, subject, body, status, facility_id, created_at)
			VALUES ($1, $2, $3, '件名', '本文', $4, NULLIF($5::bigint, 0), $6) RETURNING id`,
			newMessageID(), r.template, r.to, r.status, r.facility, r.at).Scan(&ids[i])
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func seedFacility(t *testing.T, db database.DB, code, name string) int64 {
	t.Helper()
	var id int64
	err := db.QueryRow(context.Background(), `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES (13, 4, $1, '薬局', $2, '医療法人テスト会', '1000013', '東京都千代田区霞が関1-2-2', '03-1234-5678')
		RETURNING id`, code, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func ids(p ListPage) []int64 {
	out := make([]int64, len(p.Mails))
	for i, m := range p.Mails {
		out[i] = m.ID
	}
	return out
}

func list(t *testing.T, db database.DB, q ListQuery) ListPage {
	t.Helper()
	p, err := List(context.Background(), db, q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	return p
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	pharmacy := seedFacility(t, db, "1234567", "みなと薬局")
	clinic := seedFacility(t, db, "7654321", "さくら医院")
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	id := seedMails(t, db,
		seeded{to: "Yamada@Example.jp", status: StatusSent, facility: pharmacy, at: day},
		seeded{to: "yamada.taro@example.jp", status: StatusFailed, template: "password_reset_url", at: day.Add(24 * time.Hour)},
		seeded{to: "suzuki@example.jp", status: StatusQueued, facility: clinic, at: day.Add(48 * time.Hour)},
		seeded{to: "ya%_@example.jp", status: StatusSending, facility: pharmacy, template: "password_reset_url", at: day.Add(72 * time.Hour)},
	)
	// A mail queued by a caller that knows its facility.
	var sentID int64
	err := database.WithTx(ctx, db, func(tx pgx.Tx) error {
		var err error
		sentID, err = Send(ctx, tx, Message{To: "clinic@example.jp", Template: "cardreader_applied", FacilityID: clinic,
			Data: CardReaderApplied{FacilityName: "さくら医院", ReferenceNumber: "CR-1", BaseURL: "https://portal.example.jp"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		f    Filter
		want []int64
	}{
		{"none", Filter{}, []int64{sentID, id[3], id[2], id[1], id[0]}},
		{"queued", Filter{Status: StatusQueued}, []int64{sentID, id[2]}},
		{"sending", Filter{Status: StatusSending}, []int64{id[3]}},
		{"sent", Filter{Status: StatusSent}, []int64{id[0]}},
		{"failed", Filter{Status: StatusFailed}, []int64{id[1]}},
		{"address, any case", Filter{Address: " yamada@example.JP "}, []int64{id[0]}},
		{"address prefix", Filter{Address: "YAMADA", AddressPrefix: true}, []int64{id[1], id[0]}},
		{"prefix with LIKE's wildcards taken literally", Filter{Address: "ya%_", AddressPrefix: true}, []int64{id[3]}},
		{"prefix of nothing", Filter{Address: "zzz", AddressPrefix: true}, nil},
		{"facility", Filter{FacilityID: clinic}, []int64{sentID, id[2]}},
		{"template", Filter{Template: "password_reset_url"}, []int64{id[3], id[1]}},
		{"period", Filter{From: day.Add(24 * time.Hour), Until: day.Add(72 * time.Hour)}, []int64{id[2], id[1]}},
		{"from only", Filter{From: day.Add(72 * time.Hour)}, []int64{sentID, id[3]}},
		{"combined", Filter{FacilityID: pharmacy, Template: "password_reset_url", Status: StatusSending}, []int64{id[3]}},
	} {
		p := list(t, db, ListQuery{Filter: c.f})
		if !slices.Equal(ids(p), c.want) || p.Count != len(c.want) || p.CountCapped() {
			t.Errorf("%s: got %v (count %d), want %v", c.name, ids(p), p.Count, c.want)
		}
	}

	// The row carries what the operators' page shows.
	p := list(t, db, ListQuery{Filter: Filter{FacilityID: pharmacy, Status: StatusSent}})
	if m := p.Mails[0]; m.FacilityName != "みなと薬局" || m.To != "Yamada@Example.jp" || m.Subject != "件名" || m.Template != "cardreader_applied" ||
		!m.CreatedAt.Equal(day) {
		t.Errorf("row %+v", m)
	}
}

func TestListRefusesBadFilters(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	now := time.Now()
	for name, f := range map[string]Filter{
		"unknown status":  {Status: "pending"},
		"sql status":      {Status: "sent' OR 1=1 --"},
		"huge address":    {Address: strings.Repeat("a", 10000)},
		"invalid UTF-8":   {Address: "\xff\xfe@example.jp"},
		"NUL":             {Address: "a\x00b", AddressPrefix: true},
		"NUL template":    {Template: "x\x00"},
		"short prefix":    {Address: "ya", AddressPrefix: true},
		"empty period":    {From: now, Until: now},
		"reversed period": {From: now, Until: now.Add(-time.Hour)},
	} {
		if _, err := List(context.Background(), db, ListQuery{Filter: f}); !errors.Is(err, ErrBadFilter) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Hostile text that is a possible address is just searched for.
	for _, a := range []string{"<script>alert(1)</script>", "' OR ''='", `\\\`} {
		if p := list(t, db, ListQuery{Filter: Filter{Address: a, AddressPrefix: true}}); len(p.Mails) != 0 {
			t.Errorf("%q matched %v", a, ids(p))
		}
	}
	for _, s := range []string{"x", "1-", "-1", "1-0", "1-x", "9999999999999999999-1", "1-2-3", strings.Repeat("1", 50) + "-1"} {
		if _, err := ParseCursor(s); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v", s, err)
		}
	}
	c := Cursor{CreatedAt: time.Date(2026, 11, 22, 11, 30, 0, 123456000, time.UTC), ID: 42}
	if back, err := ParseCursor(c.String()); err != nil || !back.CreatedAt.Equal(c.CreatedAt) || back.ID != 42 {
		t.Errorf("cursor round trip: %v %v", back, err)
	}
}

// TestListCountIsCapped: past CountCap the list stops counting ("1,000件以上").
func TestListCountIsCapped(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	if _, err := db.Exec(context.Background(), `INSERT INTO mail_outbox (message_id, template, to_addr, subject, body, status)
		SELECT 'm' || i, 'cardreader_applied', 'bulk' || i || '@example.jp', '件名', '本文', 'sent'
		FROM generate_series(1, $1) AS i`, CountCap+5); err != nil {
		t.Fatal(err)
	}
	p := list(t, db, ListQuery{})
	if p.Count != CountCap+1 || !p.CountCapped() || len(p.Mails) != 50 {
		t.Errorf("count %d capped %v, %d mails", p.Count, p.CountCapped(), len(p.Mails))
	}
	p = list(t, db, ListQuery{Filter: Filter{Address: "bulk100", AddressPrefix: true}})
	// bulk100@, bulk1000@ … bulk1005@
	if p.Count != 7 || p.CountCapped() {
		t.Errorf("filtered count %d capped %v", p.Count, p.CountCapped())
	}
}

// TestListPagesFromBothEnds walks the list forwards from the newest page and backwards from
// the oldest, with mails queued in the same instant told apart by id.
func TestListPagesFromBothEnds(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	var rows []seeded
	for i := range 7 {
		// Three pairs share an instant.
		rows = append(rows, seeded{to: fmt.Sprintf("p%d@example.jp", i), at: at.Add(time.Duration(i/2) * time.Minute)})
	}
	id := seedMails(t, db, rows...)
	want := func(name string, p ListPage, mails []int64, hasPrev, hasNext bool) {
		t.Helper()
		if !slices.Equal(ids(p), mails) || p.Prev.IsZero() == hasPrev || p.Next.IsZero() == hasNext || p.Count != 7 {
			t.Fatalf("%s: %v prev=%v next=%v count=%d; want %v prev=%v next=%v", name, ids(p), !p.Prev.IsZero(), !p.Next.IsZero(),
				p.Count, mails, hasPrev, hasNext)
		}
	}
	// Cursors go through their text form, as they would through a URL.
	via := func(c Cursor) Cursor {
		back, err := ParseCursor(c.String())
		if err != nil {
			t.Fatal(err)
		}
		return back
	}

	first := list(t, db, ListQuery{Limit: 3})
	want("first", first, []int64{id[6], id[5], id[4]}, false, true)
	second := list(t, db, ListQuery{Limit: 3, After: via(first.Next)})
	want("second", second, []int64{id[3], id[2], id[1]}, true, true)
	third := list(t, db, ListQuery{Limit: 3, After: via(second.Next)})
	want("third", third, []int64{id[0]}, true, false)
	back := list(t, db, ListQuery{Limit: 3, Before: via(third.Prev)})
	want("back to the second", back, []int64{id[3], id[2], id[1]}, true, true)
	back = list(t, db, ListQuery{Limit: 3, Before: via(back.Prev)})
	want("back to the first", back, []int64{id[6], id[5], id[4]}, false, true)

	last := list(t, db, ListQuery{Limit: 3, Last: true})
	want("last", last, []int64{id[2], id[1], id[0]}, true, false)
	up := list(t, db, ListQuery{Limit: 3, Before: via(last.Prev)})
	want("before the last", up, []int64{id[5], id[4], id[3]}, true, true)
	up = list(t, db, ListQuery{Limit: 3, Before: via(up.Prev)})
	want("newest", up, []int64{id[6]}, false, true)

	// A filter holds across pages.
	f := Filter{From: at.Add(time.Minute)}
	p := list(t, db, ListQuery{Filter: f, Limit: 2, Last: true})
	if !slices.Equal(ids(p), []int64{id[3], id[2]}) || p.Count != 5 {
		t.Fatalf("filtered last page %v count %d", ids(p), p.Count)
	}
}
