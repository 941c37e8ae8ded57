package application

import (
	"fmt"
	"strings"
	"time"

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
