package inquiry

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/listing"
)

// Filter selects cases for the operators' inbox; zero fields do not filter.
type Filter struct {
	Status Status
	// Assignee is an operator's id; Unassigned selects cases nobody has.
	Assignee   int64
	Unassigned bool
	FacilityID int64
	Category   string
	Priority   int
	// Reference finds one case by its 問い合わせ番号.
	Reference string
}

// where returns "WHERE …" for the filter over inquiries i, appending its arguments.
// Input never reaches the SQL text.
func (fl Filter) where(args *[]any) string {
	conds := []string{"true"}
	add := func(cond string, v any) {
		*args = append(*args, v)
		conds = append(conds, fmt.Sprintf(cond, len(*args)))
	}
	if fl.Status != "" {
		add("i.status = $%d", fl.Status)
	}
	switch {
	case fl.Unassigned:
		conds = append(conds, "i.assignee_id IS NULL")
	case fl.Assignee != 0:
		add("i.assignee_id = $%d", fl.Assignee)
	}
	if fl.FacilityID != 0 {
		add("i.facility_id = $%d", fl.FacilityID)
	}
	if fl.Category != "" {
		add("i.category = $%d", fl.Category)
	}
	if fl.Priority != 0 {
		add("i.priority = $%d", fl.Priority)
	}
	if fl.Reference != "" {
		if !storable(fl.Reference) {
			return "WHERE false" // no 問い合わせ番号 holds such text
		}
		add("i.reference = $%d", strings.ToUpper(fl.Reference))
	}
	return "WHERE " + strings.Join(conds, " AND ")
}

// List returns one page of the inbox, newest case first (keyset on received time), with
// the capped count of all matches. Each filter has an index in that order.
func (s *Service) List(ctx context.Context, fl Filter, req listing.Request) (listing.Page[Inquiry], error) {
	var args []any
	where := fl.where(&args)
	var count int
	if err := s.db.QueryRow(ctx, listing.CountSQL(`SELECT 1 FROM inquiries i `+where), args...).Scan(&count); err != nil {
		return listing.Page[Inquiry]{}, fmt.Errorf("inquiry: count: %w", err)
	}
	cond, order := req.Clause("i.created_at", "i.id", &args)
	rows, err := s.db.Query(ctx, `SELECT `+inquiryColumns+inquiryFrom+where+" "+cond+" "+order, args...)
	if err != nil {
		return listing.Page[Inquiry]{}, fmt.Errorf("inquiry: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Inquiry, error) { return scanInquiry(r) })
	if err != nil {
		return listing.Page[Inquiry]{}, fmt.Errorf("inquiry: list: %w", err)
	}
	page := listing.Finish(list, req, func(x Inquiry) listing.Key { return listing.Key{At: x.CreatedAt, ID: x.ID} })
	page.Count = listing.Count(count)
	return page, nil
}

// StatusCount is how many cases have one status (capped like every list count).
type StatusCount struct {
	Status Status
	Count  listing.Count
}

// Counts returns the number of cases in each status, in status order: the back office's
// home shows them. Each count stops at listing.Cap.
func (s *Service) Counts(ctx context.Context) ([]StatusCount, error) {
	var parts []string
	for i := range Statuses {
		parts = append(parts, fmt.Sprintf(`(SELECT count(*) FROM (SELECT 1 FROM inquiries WHERE status = $%d LIMIT %d) c)`, i+1, listing.Cap+1))
	}
	args := make([]any, len(Statuses))
	dest := make([]any, len(Statuses))
	counts := make([]int, len(Statuses))
	for i, st := range Statuses {
		args[i] = st
		dest[i] = &counts[i]
	}
	if err := s.db.QueryRow(ctx, `SELECT `+strings.Join(parts, ", "), args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("inquiry: counts: %w", err)
	}
	out := make([]StatusCount, len(Statuses))
	for i, st := range Statuses {
		out[i] = StatusCount{Status: st, Count: listing.Count(counts[i])}
	}
	return out, nil
}

// Person is an operator as a choice of assignee.
type Person struct {
	ID   int64
	Name string
}

// Assignees lists the operators who may take a case, by name.
func (s *Service) Assignees(ctx context.Context) ([]Person, error) {
	rows, err := s.db.Query(ctx, `SELECT id, name FROM operators ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("inquiry: assignees: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Person, error) {
		var p Person
		return p, r.Scan(&p.ID, &p.Name)
	})
	if err != nil {
		return nil, fmt.Errorf("inquiry: assignees: %w", err)
	}
	return list, nil
}

// FacilityHit is a facility found by the inbox's small search.
type FacilityHit struct {
	ID   int64
	Code string // 10 digits
	Kind string
	Name string
	// Address helps tell facilities of one name apart.
	Address string
}

// maxHits bounds a search's answer.
const maxHits = 20

// SearchFacilities finds facilities to link a case to: by 医療機関等コード (7 or 10 digits)
// or by a part of the name. It is the inbox's own small search, not the back office's
// facility search.
func (s *Service) SearchFacilities(ctx context.Context, q string) ([]FacilityHit, error) {
	q = strings.TrimSpace(q)
	if q == "" || len([]rune(q)) > 100 || !storable(q) {
		return nil, nil
	}
	var cond string
	var args []any
	switch digits := strings.Trim(q, "0123456789") == ""; {
	case digits && len(q) == 10:
		cond, args = `prefecture_code = $1 AND score_table_code = $2 AND code = $3`, []any{atoi(q[:2]), atoi(q[2:3]), q[3:]}
	case digits && len(q) == 7:
		cond, args = `code = $1`, []any{q}
	default:
		cond, args = `name LIKE $1`, []any{"%" + escapeLike(q) + "%"}
	}
	rows, err := s.db.Query(ctx, `SELECT id, lpad(prefecture_code::text, 2, '0') || score_table_code || code, kind, name, address
		FROM facilities WHERE `+cond+fmt.Sprintf(` ORDER BY prefecture_code, score_table_code, code LIMIT %d`, maxHits), args...)
	if err != nil {
		return nil, fmt.Errorf("inquiry: search facilities: %w", err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FacilityHit, error) {
		var h FacilityHit
		return h, r.Scan(&h.ID, &h.Code, &h.Kind, &h.Name, &h.Address)
	})
	if err != nil {
		return nil, fmt.Errorf("inquiry: search facilities: %w", err)
	}
	return hits, nil
}

// Facility returns one facility as the search shows it (for the phone caller's form).
func (s *Service) Facility(ctx context.Context, id int64) (FacilityHit, error) {
	var h FacilityHit
	err := s.db.QueryRow(ctx, `SELECT id, lpad(prefecture_code::text, 2, '0') || score_table_code || code, kind, name, address
		FROM facilities WHERE id = $1`, id).Scan(&h.ID, &h.Code, &h.Kind, &h.Name, &h.Address)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, ErrNotFound
	}
	if err != nil {
		return h, fmt.Errorf("inquiry: facility %d: %w", id, err)
	}
	return h, nil
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// escapeLike makes q match literally in LIKE.
func escapeLike(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}

// storable reports whether PostgreSQL can hold s as text (valid UTF-8 without NUL): what
// it cannot hold matches nothing, rather than failing the query.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
