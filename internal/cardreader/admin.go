package cardreader

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// Filter selects applications for the operators' list and the CSV export.
type Filter struct {
	Status     string // one of Statuses, or "" for all
	Maker      string // card_reader_models.maker, or ""
	Prefecture int    // 1–47, or 0
	Kind       string // 病院, 診療所, 薬局, or ""
	Sort       string // a key of sortColumns
	Page       int    // 1-based
	PerPage    int
}

// sortColumns is the whitelist of ORDER BY clauses; input never reaches SQL.
var sortColumns = map[string]string{
	"":           "a.created_at DESC, a.id DESC",
	"new":        "a.created_at DESC, a.id DESC",
	"old":        "a.created_at, a.id",
	"reference":  "a.reference",
	"prefecture": "f.prefecture_code, f.code, a.id",
	"delivery":   "a.delivery_date NULLS LAST, a.id",
	"facility":   "f.name, a.id",
}

// SortKeys lists the accepted sort keys.
func SortKeys() []string {
	return []string{"new", "old", "reference", "prefecture", "delivery", "facility"}
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
}

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.Status != "" {
		add("a.status = $%d", f.Status)
	}
	if f.Prefecture != 0 {
		add("f.prefecture_code = $%d", f.Prefecture)
	}
	if f.Kind != "" {
		add("f.kind = $%d", f.Kind)
	}
	if f.Maker != "" {
		add(`EXISTS (SELECT 1 FROM cardreader_application_items i JOIN card_reader_models m ON m.id = i.model_id
			WHERE i.application_id = a.id AND m.maker = $%d)`, f.Maker)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

// List returns one page of applications matching f and the number of all matches.
func List(ctx context.Context, db database.DB, f Filter) ([]Row, int, error) {
	where, args := f.where()
	var total int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM cardreader_applications a JOIN facilities f ON f.id = a.facility_id `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("cardreader: count: %w", err)
	}
	order, ok := sortColumns[f.Sort]
	if !ok {
		order = sortColumns[""]
	}
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	args = append(args, f.PerPage, (f.Page-1)*f.PerPage)
	rows, err := db.Query(ctx, fmt.Sprintf(`SELECT a.id, a.reference, a.status, f.prefecture_code,
		lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, f.name, f.kind,
		coalesce((SELECT string_agg(m.maker || '／' || m.product || '×' || i.quantity, '、' ORDER BY i.slot)
			FROM cardreader_application_items i JOIN card_reader_models m ON m.id = i.model_id WHERE i.application_id = a.id), ''),
		coalesce((SELECT sum(i.quantity) FROM cardreader_application_items i WHERE i.application_id = a.id), 0),
		a.delivery_date, a.created_at
		FROM cardreader_applications a JOIN facilities f ON f.id = a.facility_id %s
		ORDER BY %s LIMIT $%d OFFSET $%d`, where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("cardreader: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Row, error) {
		var x Row
		return x, r.Scan(&x.ID, &x.Reference, &x.Status, &x.Prefecture, &x.TenDigitCode, &x.FacilityName, &x.Kind,
			&x.Readers, &x.Total, &x.DeliveryDate, &x.CreatedAt)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("cardreader: list: %w", err)
	}
	return list, total, nil
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
