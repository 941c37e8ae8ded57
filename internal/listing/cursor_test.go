package listing_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"portal/internal/listing"
	"portal/internal/testdb"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []listing.Cursor{{"2026-12-01 08:30:00.123+00", 42}, {"1310000001", 1}, {"", 7}, {"a.b.c", 9}} {
		got, ok := listing.ParseCursor(c.String())
		if !ok || got != c {
			t.Errorf("round trip of %+v: %+v %v", c, got, ok)
		}
	}
	for _, bad := range []string{"", "!!", "MC54", "LTEueA", "eC4x", string(make([]byte, 300))} {
		if _, ok := listing.ParseCursor(bad); ok {
			t.Errorf("ParseCursor(%q) accepted", bad)
		}
	}
}

// TestCursorPagesInPostgreSQL walks a real table sorted by a text column with ties and a
// date column with NULLs (sorted last), ascending and descending, from both ends.
func TestCursorPagesInPostgreSQL(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	if _, err := db.Exec(ctx, `CREATE TABLE t (id bigint PRIMARY KEY, code text NOT NULL, d date);
		INSERT INTO t SELECT g, 'c' || (g % 7), CASE WHEN g % 3 = 0 THEN NULL ELSE DATE '2026-12-01' + (g % 5) END
		FROM generate_series(1, 53) g`); err != nil {
		t.Fatal(err)
	}
	type row struct {
		id    int64
		value string
	}
	for _, o := range []listing.Order{
		{Expr: "code", Cast: "text"}, {Expr: "code", Cast: "text", Desc: true},
		{Expr: "coalesce(d, DATE '9999-12-31')", Cast: "date"}, {Expr: "coalesce(d, DATE '9999-12-31')", Cast: "date", Desc: true},
	} {
		dir := "ASC"
		if o.Desc {
			dir = "DESC"
		}
		want, err := pgx.CollectRows(must(db.Query(ctx, fmt.Sprintf(`SELECT id FROM t ORDER BY %s %s, id %s`, o.Expr, dir, dir))), pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		page := func(r listing.CursorRequest) listing.CursorPage[row] {
			t.Helper()
			var args []any
			cond, order := r.Clause(o, "id", &args)
			rows, err := db.Query(ctx, fmt.Sprintf(`SELECT id, (%s)::text FROM t WHERE true %s %s`, o.Expr, cond, order), args...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
				var x row
				return x, r.Scan(&x.id, &x.value)
			})
			if err != nil {
				t.Fatal(err)
			}
			return listing.FinishCursor(got, r, func(x row) listing.Cursor { return listing.Cursor{Value: x.value, ID: x.id} })
		}
		var forward []int64
		for p := page(listing.CursorRequest{Limit: 10}); ; p = page(listing.CursorRequest{After: p.Next, Limit: 10}) {
			for _, x := range p.Rows {
				forward = append(forward, x.id)
			}
			if p.Next == nil {
				break
			}
		}
		var backward []int64
		for p := page(listing.CursorRequest{Last: true, Limit: 10}); ; p = page(listing.CursorRequest{Before: p.Prev, Limit: 10}) {
			backward = append(slices.Collect(func(yield func(int64) bool) {
				for _, x := range p.Rows {
					if !yield(x.id) {
						return
					}
				}
			}), backward...)
			if p.Prev == nil {
				break
			}
		}
		if !slices.Equal(forward, want) || !slices.Equal(backward, want) {
			t.Errorf("%s %s:\nforward  %v\nbackward %v\nwant     %v", o.Expr, dir, forward, backward, want)
		}
	}
}

func must(rows pgx.Rows, err error) pgx.Rows {
	if err != nil {
		panic(err)
	}
	return rows
}
