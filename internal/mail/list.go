package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// CountCap is where the list stops counting: a count above it is shown as "1,000件以上",
// so a view never counts the whole outbox.
const CountCap = 1000

// ErrBadFilter is returned by List for a filter value it cannot use (an unknown status, an
// address longer than any address, an address prefix shorter than MinAddressPrefix, an
// empty period).
var ErrBadFilter = errors.New("mail: unusable filter value")

// MinAddressPrefix is the shortest address prefix List searches for: a prefix is read from
// the index in address order and then sorted, so one or two characters would sort most of
// the outbox.
const MinAddressPrefix = 3

// Filter selects outbox mails; zero fields do not filter.
type Filter struct {
	// Status is one of Statuses.
	Status string
	// Address matches the recipient, ignoring case: the whole address, or its beginning
	// (at least MinAddressPrefix characters) when AddressPrefix is set.
	Address       string
	AddressPrefix bool
	FacilityID    int64
	// Template is a template name (Templates).
	Template string
	// From and Until bound when the mail was queued: From ≤ created_at < Until.
	From, Until time.Time
}

// ListQuery is one page of the list: the newest page by default, the mails older than
// After (the next page), the mails newer than Before (the previous page), or the oldest
// page when Last is set.
type ListQuery struct {
	Filter
	After, Before Cursor
	Last          bool
	// Limit is the page size; 0 means 50, and it is at most 200.
	Limit int
}

// ListPage is one page of mails, newest first.
type ListPage struct {
	Mails []OutboxMail
	// Next is the position to ask After for the older page; zero on the last page.
	Next Cursor
	// Prev is the position to ask Before for the newer page; zero on the first page.
	Prev Cursor
	// Count is how many mails match the filter, counted up to CountCap+1.
	Count int
}

// CountCapped reports whether there are more matching mails than CountCap ("1,000件以上").
func (p ListPage) CountCapped() bool { return p.Count > CountCap }

// List returns one page of the outbox, newest first, and the capped count of the mails
// the filter matches. Every filter and the order have an index
// (migrations), so the first and the last page cost the same as any other.
func List(ctx context.Context, db database.DB, q ListQuery) (ListPage, error) {
	where, args, err := q.Filter.sql()
	if err != nil {
		return ListPage{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)

	// Older pages read the index downwards, newer and last pages upwards (then reversed).
	page, order := where, "DESC"
	pageArgs := slices.Clone(args)
	switch {
	case !q.After.IsZero():
		pageArgs = append(pageArgs, q.After.CreatedAt, q.After.ID)
		page = append(slices.Clone(where), fmt.Sprintf("(o.created_at, o.id) < ($%d, $%d)", len(pageArgs)-1, len(pageArgs)))
	case !q.Before.IsZero():
		pageArgs = append(pageArgs, q.Before.CreatedAt, q.Before.ID)
		page = append(slices.Clone(where), fmt.Sprintf("(o.created_at, o.id) > ($%d, $%d)", len(pageArgs)-1, len(pageArgs)))
		order = "ASC"
	case q.Last:
		order = "ASC"
	}
	pageArgs = append(pageArgs, limit+1)

	// Planned with the values each time (QueryExecModeExec, an unnamed statement): a cached
	// generic plan would guess at a filter's selectivity and can read the whole table for
	// a rare status or template.
	var out ListPage
	countSQL := `SELECT count(*) FROM (SELECT 1 FROM mail_outbox o` + whereClause(where) + ` LIMIT ` + strconv.Itoa(CountCap+1) + `) s`
	if err := db.QueryRow(ctx, countSQL, append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&out.Count); err != nil {
		return ListPage{}, fmt.Errorf("mail: count outbox: %w", err)
	}
	rows, err := db.Query(ctx, `SELECT `+outboxColumns+` FROM mail_outbox o LEFT JOIN facilities f ON f.id = o.facility_id`+
		whereClause(page)+` ORDER BY o.created_at `+order+`, o.id `+order+` LIMIT $`+strconv.Itoa(len(pageArgs)),
		append([]any{pgx.QueryExecModeExec}, pageArgs...)...)
	if err != nil {
		return ListPage{}, fmt.Errorf("mail: list outbox: %w", err)
	}
	mails, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMail, error) {
		var m OutboxMail
		err := r.Scan(m.dest()...)
		return m, err
	})
	if err != nil {
		return ListPage{}, fmt.Errorf("mail: list outbox: %w", err)
	}
	more := len(mails) > limit
	if more {
		mails = mails[:limit]
	}
	if order == "ASC" {
		slices.Reverse(mails)
	}
	out.Mails = mails
	if len(mails) == 0 {
		// A position past the end (its mails gone): offer the way back.
		out.Next, out.Prev = q.Before, q.After
		return out, nil
	}
	newest, oldest := cursorOf(mails[0]), cursorOf(mails[len(mails)-1])
	switch {
	case !q.After.IsZero():
		out.Prev = newest
		if more {
			out.Next = oldest
		}
	case !q.Before.IsZero():
		out.Next = oldest
		if more {
			out.Prev = newest
		}
	case q.Last:
		if more {
			out.Prev = newest
		}
	default:
		if more {
			out.Next = oldest
		}
	}
	return out, nil
}

// sql turns the filter into conditions on mail_outbox o and their arguments; no input ever
// becomes SQL text.
func (f Filter) sql() (where []string, args []any, err error) {
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Status != "" {
		if !slices.Contains(Statuses, f.Status) {
			return nil, nil, ErrBadFilter
		}
		where = append(where, "o.status = "+arg(f.Status))
	}
	if a := strings.TrimSpace(f.Address); a != "" {
		if len(a) > 254 || !utf8.ValidString(a) || strings.ContainsRune(a, 0) {
			return nil, nil, ErrBadFilter
		}
		if f.AddressPrefix {
			if utf8.RuneCountInString(a) < MinAddressPrefix {
				return nil, nil, ErrBadFilter
			}
			// A range on the text_pattern_ops index (byte order); U+10FFFF sorts after any
			// character that can follow the prefix, and the left() check makes it exact.
			p := arg(a)
			where = append(where, fmt.Sprintf("lower(o.to_addr) ~>=~ lower(%[1]s) AND lower(o.to_addr) ~<~ (lower(%[1]s) || U&'\\+10FFFF')"+
				" AND left(lower(o.to_addr), length(%[1]s)) = lower(%[1]s)", p))
		} else {
			where = append(where, "lower(o.to_addr) = lower("+arg(a)+")")
		}
	}
	if f.FacilityID != 0 {
		where = append(where, "o.facility_id = "+arg(f.FacilityID))
	}
	if f.Template != "" {
		if len(f.Template) > 100 || !utf8.ValidString(f.Template) || strings.ContainsRune(f.Template, 0) {
			return nil, nil, ErrBadFilter
		}
		where = append(where, "o.template = "+arg(f.Template))
	}
	if !f.From.IsZero() && !f.Until.IsZero() && !f.From.Before(f.Until) {
		return nil, nil, ErrBadFilter
	}
	if !f.From.IsZero() {
		where = append(where, "o.created_at >= "+arg(f.From))
	}
	if !f.Until.IsZero() {
		where = append(where, "o.created_at < "+arg(f.Until))
	}
	return where, args, nil
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}
