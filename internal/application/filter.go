package application

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/listing"
)

// Filter selects a kind's applications for the operators' list and its CSV export. Zero
// fields do not filter.
type Filter struct {
	Status       string
	Prefecture   int
	FacilityKind string // 病院, 診療所, 薬局
	// From and To are days in JST, both included.
	From, To time.Time
}

// Where returns "WHERE …" over the kind's status and date columns and the facilities
// table aliased f, appending its arguments to args. Input never reaches the SQL text.
func (fl Filter) Where(statusCol, atCol string, args *[]any) string {
	conds := []string{"true"}
	add := func(cond string, v any) {
		*args = append(*args, v)
		conds = append(conds, fmt.Sprintf(cond, len(*args)))
	}
	if fl.Status != "" {
		add(statusCol+" = $%d", fl.Status)
	}
	if fl.Prefecture != 0 {
		add("f.prefecture_code = $%d", fl.Prefecture)
	}
	if fl.FacilityKind != "" {
		add("f.kind = $%d", fl.FacilityKind)
	}
	if !fl.From.IsZero() {
		add(atCol+" >= $%d", fl.From)
	}
	if !fl.To.IsZero() {
		add(atCol+" < $%d", fl.To.AddDate(0, 0, 1))
	}
	return "WHERE " + strings.Join(conds, " AND ")
}

// ListRequest is one page of a filtered list.
type ListRequest struct {
	Filter
	listing.Request
}

// List is the one query behind a kind's back-office list: the rows of from (" FROM …",
// joining facilities as f) matching the filter, a page at a time by (at, id) newest first, with
// the capped count. cols are the selected columns, scan reads them into a row, key gives a
// row's keyset key.
func List[R any](ctx context.Context, db database.DB, req ListRequest, from, statusCol, atCol, idCol, cols string,
	scan func(pgx.CollectableRow) (R, error), key func(R) listing.Key) (listing.Page[R], error) {
	var args []any
	where := req.Where(statusCol, atCol, &args)
	var count int
	if err := db.QueryRow(ctx, listing.CountSQL(`SELECT 1`+from+where), args...).Scan(&count); err != nil {
		return listing.Page[R]{}, fmt.Errorf("application: count: %w", err)
	}
	cond, order := req.Clause(atCol, idCol, &args)
	rows, err := db.Query(ctx, `SELECT `+cols+from+where+` `+cond+` `+order, args...)
	if err != nil {
		return listing.Page[R]{}, fmt.Errorf("application: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return listing.Page[R]{}, fmt.Errorf("application: list: %w", err)
	}
	page := listing.Finish(list, req.Request, key)
	page.Count = listing.Count(count)
	return page, nil
}
