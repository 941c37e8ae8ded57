package cardreader

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/listing"
)

// Filter selects applications for the operators' list; zero fields do not filter.
type Filter struct {
	Status     string // one of Statuses
	Maker      string // card_reader_models.maker
	Prefecture int    // 1–47
	Kind       string // 施設種別: pref.KindHospital, …
	// Query finds applications by 申込番号, by the facility's 10- or 7-digit code, or by a
	// part of the facility's name (see Search).
	Query string
	// Sort is one of SortKeys; anything else is the default (newest first).
	Sort string
}

// ListRequest is one page of the operators' list.
type ListRequest struct {
	Filter
	listing.CursorRequest
}

// sorts are the offered orders. Each is the leading column of an index (alone, and after
// status: migration 00031), so every page of every sort is an index range.
var sorts = map[string]listing.Order{
	"new":        {Expr: "a.created_at", Cast: "timestamptz", Desc: true},
	"old":        {Expr: "a.created_at", Cast: "timestamptz"},
	"delivery":   {Expr: "coalesce(a.delivery_date, DATE '9999-12-31')", Cast: "date"},
	"prefecture": {Expr: "a.facility_code", Cast: "text"},
}

// SortKeys lists the offered sorts in the order the page shows them; the first is the default.
func SortKeys() []string { return []string{"new", "old", "delivery", "prefecture"} }

func order(key string) listing.Order {
	if o, ok := sorts[key]; ok {
		return o
	}
	return sorts["new"]
}

// Row is one application in the operators' list.
type Row struct {
	ID           int64
	Reference    string
	Status       string
	Prefecture   int
	TenDigitCode string
	FacilityName string
	Kind         string
	Readers      string // e.g. "富士通Japan／Caora×1、…"
	Total        int
	DeliveryDate *time.Time
	CreatedAt    time.Time

	// sortValue is the sort column's value as PostgreSQL writes it, for the page cursors.
	sortValue string
}

// SearchKind is what a search box's text was taken for.
type SearchKind int

// The kinds of search.
const (
	SearchNone SearchKind = iota
	SearchReference
	SearchCode10
	SearchCode7
	SearchName
)

// referencePattern is a 申込番号 as the card reader's kind makes them: CR261201-000042.
var referencePattern = regexp.MustCompile(`^[A-Z]{2}[0-9]{6}-[0-9]{6}$`)

// Search tells what q asks for: a 申込番号 (any case, full-width or not), a 10- or 7-digit
// facility code (hyphens and spaces allowed), or else a part of a facility's name. value
// is the normalised form to look for.
func Search(q string) (kind SearchKind, value string) {
	q = form.Clean(q)
	if q == "" {
		return SearchNone, ""
	}
	if ref := strings.ToUpper(strings.ReplaceAll(form.Narrow(q), " ", "")); referencePattern.MatchString(ref) {
		return SearchReference, ref
	}
	if digits := form.Digits(q); strings.Trim(digits, "0123456789") == "" {
		switch len(digits) {
		case 10:
			return SearchCode10, digits
		case 7:
			return SearchCode7, digits
		}
	}
	return SearchName, q
}

// likeEscaper makes a name part literal inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

func (f Filter) where(args *[]any) string {
	conds := []string{"true"}
	add := func(cond string, v any) {
		*args = append(*args, v)
		conds = append(conds, fmt.Sprintf(cond, len(*args)))
	}
	if f.Status != "" {
		add("a.status = $%d", f.Status)
	}
	switch {
	case f.Prefecture != 0 && f.Sort == "prefecture":
		// The same filter as a range of the code (it starts with the prefecture), so the
		// code order reads only that range of its index. Written both ways at once, the
		// planner would take them for independent and misjudge how many rows match.
		add("a.facility_code >= $%d", fmt.Sprintf("%02d", f.Prefecture))
		add("a.facility_code < $%d", fmt.Sprintf("%02d", f.Prefecture+1))
	case f.Prefecture != 0:
		add("a.prefecture_code = $%d", f.Prefecture)
	}
	if f.Kind != "" {
		add("a.facility_kind = $%d", f.Kind)
	}
	if f.Maker != "" {
		add(`EXISTS (SELECT 1 FROM cardreader_application_items i JOIN card_reader_models m ON m.id = i.model_id
			WHERE i.application_id = a.id AND m.maker = $%d)`, f.Maker)
	}
	switch kind, v := Search(f.Query); kind {
	case SearchReference:
		add("a.reference = $%d", v)
	case SearchCode10:
		add("a.facility_code = $%d", v)
	case SearchCode7:
		add("substr(a.facility_code, 4) = $%d", v)
	case SearchName:
		// The key narrows through its trigram index; the name itself decides (migration 00031).
		add(`a.facility_name_key LIKE '%%' || name_search_key($%d) || '%%'`, v)
		add(`a.facility_name ILIKE '%%' || $%d || '%%'`, likeEscaper.Replace(v))
	}
	return "WHERE " + strings.Join(conds, " AND ")
}

const rowColumns = `a.id, a.reference, a.status, a.prefecture_code, a.facility_code, a.facility_name, a.facility_kind,
	coalesce((SELECT string_agg(m.maker || '／' || m.product || '×' || i.quantity, '、' ORDER BY i.slot)
		FROM cardreader_application_items i JOIN card_reader_models m ON m.id = i.model_id WHERE i.application_id = a.id), ''),
	coalesce((SELECT sum(i.quantity) FROM cardreader_application_items i WHERE i.application_id = a.id), 0),
	a.delivery_date, a.created_at`

// List returns one page of applications matching req, in its sort, with the count of
// matches capped at listing.Cap: no query counts or skips more than a page's worth of
// index entries, whichever page is asked for.
func List(ctx context.Context, db database.DB, req ListRequest) (listing.CursorPage[Row], error) {
	var page listing.CursorPage[Row]
	var args []any
	where := req.Filter.where(&args)
	// Planned with the values each time (an unnamed statement): a cached generic plan would
	// guess at a filter's selectivity.
	exec := []any{pgx.QueryExecModeExec}
	countSQL, countArgs := listing.CountSQL(`SELECT 1 FROM cardreader_applications a `+where), slices.Clone(args)
	if req.Limit <= 0 || req.Limit > 200 {
		req.Limit = 50
	}
	o := order(req.Sort)
	cond, orderBy := req.CursorRequest.Clause(o, "a.id", &args)
	rows, err := db.Query(ctx, `SELECT `+rowColumns+`, (`+o.Expr+`)::text FROM cardreader_applications a `+where+` `+cond+` `+orderBy,
		append(exec, args...)...)
	if err != nil {
		return page, fmt.Errorf("cardreader: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Row, error) {
		var x Row
		return x, r.Scan(&x.ID, &x.Reference, &x.Status, &x.Prefecture, &x.TenDigitCode, &x.FacilityName, &x.Kind,
			&x.Readers, &x.Total, &x.DeliveryDate, &x.CreatedAt, &x.sortValue)
	})
	if err != nil {
		return page, fmt.Errorf("cardreader: list: %w", err)
	}
	count, known := listing.CountFromPage(len(list), req.Limit, req.CursorRequest.Whole())
	if !known {
		if err := db.QueryRow(ctx, countSQL, append(exec, countArgs...)...).Scan(&count); err != nil {
			return page, fmt.Errorf("cardreader: count: %w", err)
		}
	}
	page = listing.FinishCursor(list, req.CursorRequest, func(x Row) listing.Cursor { return listing.Cursor{Value: x.sortValue, ID: x.ID} })
	page.Count = count
	return page, nil
}

// Makers lists the makers of the catalog, for the filter and the export.
func Makers(ctx context.Context, db database.DB) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT maker FROM card_reader_models GROUP BY maker ORDER BY min(sort_order), maker`)
	if err != nil {
		return nil, fmt.Errorf("cardreader: makers: %w", err)
	}
	makers, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("cardreader: makers: %w", err)
	}
	return makers, nil
}
