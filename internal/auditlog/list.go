package auditlog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/listing"
)

// Filter selects audit entries; zero fields do not filter.
type Filter struct {
	// OperatorID is whose actions; System selects what the system did on its own.
	OperatorID int64
	System     bool
	// Action is an action code of the label table.
	Action string
	// FacilityCode is a facility's 10-digit code (都道府県2桁・点数表1桁・医療機関等コード7桁)
	// or its 7-digit 医療機関等コード (which may name one facility per prefecture and table).
	FacilityCode string
	// From and To are days in JST, both included.
	From, To time.Time
}

// Request is one page of a filtered trail.
type Request struct {
	Filter
	listing.Request
}

// Entry is one audit entry as people read it.
type Entry struct {
	ID            int64
	At            time.Time
	OperatorID    int64
	OperatorName  string
	OperatorLogin string
	Action        string
	TargetType    string
	TargetID      int64
	// FacilityID, FacilityName and FacilityCode are the facility the target belongs to
	// (the facility itself, its account, application, certificate or mail); zero and
	// empty when the target is no facility's (an operator, a maker's export).
	FacilityID   int64
	FacilityName string
	FacilityCode string
	Detail       json.RawMessage
}

// ActionLabel is the action in Japanese.
func (e Entry) ActionLabel() string { return Label(e.Action) }

// TargetLabel is the target in words, e.g. 「カードリーダー申込 #12」.
func (e Entry) TargetLabel() string {
	if e.TargetType == "" {
		return ""
	}
	if e.TargetID == 0 {
		return TargetLabel(e.TargetType)
	}
	return fmt.Sprintf("%s #%d", TargetLabel(e.TargetType), e.TargetID)
}

// Who is the operator's name, or システム for what the system did.
func (e Entry) Who() string {
	if e.OperatorID == 0 {
		return "システム"
	}
	return e.OperatorName
}

// facilityOf says, for each target type that belongs to a facility, which table holds its
// facility_id. Keep it in step with the target types the code writes; filterable marks the
// tables with an index on facility_id (the facility filter reads them for every page).
var facilityOf = []struct {
	target, table string
	filterable    bool
}{
	{"account", "accounts", true},
	{"cardreader_application", "cardreader_applications", true},
	{"qualification_application", "qualification_applications", true},
	{"certificate", "certificates", true},
	{"mail", "mail_outbox", true},
	// Without an index on provisional_credentials.facility_id (250,000 letters), entries
	// about a credential show their facility but are not found by the facility filter.
	{"provisional_credential", "provisional_credentials", false},
}

// facilityExpr is the facility id of entry l's target, for the page's rows only.
func facilityExpr() string {
	var b strings.Builder
	b.WriteString("CASE l.target_type WHEN 'facility' THEN l.target_id")
	for _, t := range facilityOf {
		fmt.Fprintf(&b, " WHEN '%s' THEN (SELECT x.facility_id FROM %s x WHERE x.id = l.target_id)", t.target, t.table)
	}
	b.WriteString(" END")
	return b.String()
}

// targetsSQL lists (type, id) of every target belonging to the facilities $n.
func targetsSQL(n int) string {
	parts := []string{fmt.Sprintf("SELECT 'facility'::text AS type, id FROM unnest($%d::bigint[]) id", n)}
	for _, t := range facilityOf {
		if t.filterable {
			parts = append(parts, fmt.Sprintf("SELECT '%s', x.id FROM %s x WHERE x.facility_id = ANY($%d)", t.target, t.table, n))
		}
	}
	return strings.Join(parts, " UNION ALL ")
}

const entryColumns = `l.id, l.at, coalesce(l.operator_id, 0), coalesce(o.name, ''), coalesce(o.login, ''),
	l.action, l.target_type, coalesce(l.target_id, 0), coalesce(f.id, 0), coalesce(f.name, ''),
	coalesce(lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, ''), l.detail`

func entryJoins() string {
	return `LEFT JOIN operators o ON o.id = l.operator_id
		LEFT JOIN LATERAL (SELECT f.id, f.name, f.prefecture_code, f.score_table_code, f.code FROM facilities f
			WHERE f.id = ` + facilityExpr() + `) f ON true`
}

func scanEntry(r pgx.CollectableRow) (Entry, error) {
	var e Entry
	err := r.Scan(&e.ID, &e.At, &e.OperatorID, &e.OperatorName, &e.OperatorLogin, &e.Action, &e.TargetType, &e.TargetID,
		&e.FacilityID, &e.FacilityName, &e.FacilityCode, &e.Detail)
	return e, err
}

// facilityIDs resolves the filter's facility code; ok is false when it names none.
func facilityIDs(ctx context.Context, db database.DB, code string) ([]int64, error) {
	var rows pgx.Rows
	var err error
	switch len(code) {
	case 10:
		rows, err = db.Query(ctx, `SELECT id FROM facilities WHERE prefecture_code = $1::int AND score_table_code = $2::int AND code = $3`,
			code[:2], code[2:3], code[3:])
	case 7:
		rows, err = db.Query(ctx, `SELECT id FROM facilities WHERE code = $1`, code)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auditlog: facility %s: %w", code, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("auditlog: facility %s: %w", code, err)
	}
	return ids, nil
}

// from returns the FROM … WHERE of the filter over audit_log l, its arguments appended to
// args; none is true when the filter can match nothing (an unknown facility).
func (f Filter) from(ctx context.Context, db database.DB, args *[]any) (sql string, none bool, err error) {
	add := func(v any) int { *args = append(*args, v); return len(*args) }
	from := "audit_log l"
	if f.FacilityCode != "" {
		ids, err := facilityIDs(ctx, db, f.FacilityCode)
		if err != nil || len(ids) == 0 {
			return "", true, err
		}
		from += fmt.Sprintf(" JOIN (%s) t ON l.target_type = t.type AND l.target_id = t.id", targetsSQL(add(ids)))
	}
	conds := []string{"true"}
	switch {
	case f.System:
		conds = append(conds, "l.operator_id IS NULL")
	case f.OperatorID != 0:
		conds = append(conds, fmt.Sprintf("l.operator_id = $%d", add(f.OperatorID)))
	}
	if f.Action != "" {
		conds = append(conds, fmt.Sprintf("l.action = $%d", add(f.Action)))
	}
	if !f.From.IsZero() {
		conds = append(conds, fmt.Sprintf("l.at >= $%d", add(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, fmt.Sprintf("l.at < $%d", add(f.To.AddDate(0, 0, 1))))
	}
	return from + " WHERE " + strings.Join(conds, " AND "), false, nil
}

// List returns one page of the trail, newest first, with the count of matches capped at
// listing.Cap. Each filter is a range of one index in (at, id) order (audit_log_at_idx,
// _operator_idx, _action_idx, _target_idx), so the first and the last page cost the same.
func List(ctx context.Context, db database.DB, req Request) (listing.Page[Entry], error) {
	var page listing.Page[Entry]
	var args []any
	from, none, err := req.Filter.from(ctx, db, &args)
	if err != nil || none {
		return page, err
	}
	// Planned with the values each time (an unnamed statement): a cached generic plan would
	// guess at a filter's selectivity and could read the whole table for a rare action.
	exec := []any{pgx.QueryExecModeExec}
	countSQL, countArgs := listing.CountSQL("SELECT 1 FROM "+from), slices.Clone(args)
	cond, order := req.Request.Clause("l.at", "l.id", &args)
	rows, err := db.Query(ctx, `SELECT `+entryColumns+` FROM (SELECT l.* FROM `+from+` `+cond+` `+order+`) l `+
		entryJoins()+` `+outerOrder(req.Request), append(exec, args...)...)
	if err != nil {
		return page, fmt.Errorf("auditlog: list: %w", err)
	}
	entries, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return page, fmt.Errorf("auditlog: list: %w", err)
	}
	count, known := listing.CountFromPage(len(entries), req.Limit, req.Request.Whole())
	if !known {
		if err := db.QueryRow(ctx, countSQL, append(exec, countArgs...)...).Scan(&count); err != nil {
			return page, fmt.Errorf("auditlog: count: %w", err)
		}
	}
	page = listing.Finish(entries, req.Request, func(e Entry) listing.Key { return listing.Key{At: e.At, ID: e.ID} })
	page.Count = count
	return page, nil
}

// outerOrder keeps the inner query's order after the joins (the page's rows only).
func outerOrder(r listing.Request) string {
	if r.Before != nil || r.Last {
		return "ORDER BY l.at, l.id"
	}
	return "ORDER BY l.at DESC, l.id DESC"
}
