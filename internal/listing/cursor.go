package listing

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// Lists sorted by something other than time (a code, a date that may be undecided) page
// the same way by (value, id): a Cursor carries the sort column's value in PostgreSQL's
// own text form, which the query casts back, so any sortable column works.

// Cursor is where a page starts or ends in a list ordered by (Value, ID).
type Cursor struct {
	Value string
	ID    int64
}

// maxCursor bounds an encoded cursor: the values are codes, dates and timestamps.
const maxCursor = 200

// String encodes the cursor for a URL.
func (c Cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10) + "." + c.Value))
}

// ParseCursor reads a cursor from a URL; ok is false for anything that is not one.
func ParseCursor(s string) (Cursor, bool) {
	if s == "" || len(s) > maxCursor {
		return Cursor{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, false
	}
	id, value, ok := strings.Cut(string(b), ".")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || strings.ContainsRune(value, 0) {
		return Cursor{}, false
	}
	return Cursor{Value: value, ID: n}, true
}

// Order is one offered sort: Expr, an SQL expression from the caller's whitelist (never
// input) that an index starts with, the type Cast that turns a Cursor's Value back into
// it, and the direction.
type Order struct {
	Expr string
	Cast string
	Desc bool
}

// CursorRequest is which page of a list sorted by an Order is asked for: the first (zero
// value), the one after a cursor, the one before a cursor, or the last.
type CursorRequest struct {
	After  *Cursor
	Before *Cursor
	Last   bool
	// Limit is the page size.
	Limit int
}

// ParseCursorRequest reads after, before and last from the query string.
func ParseCursorRequest(get func(string) string, limit int) CursorRequest {
	r := CursorRequest{Limit: limit}
	if c, ok := ParseCursor(get("after")); ok {
		r.After = &c
	} else if c, ok := ParseCursor(get("before")); ok {
		r.Before = &c
	} else if get("last") == "1" {
		r.Last = true
	}
	return r
}

// Whole reports whether the request is for an end of the list (the first or the last
// page), where a page that is not full holds every match (see CountFromPage).
func (r CursorRequest) Whole() bool { return r.After == nil && r.Before == nil }

// Clause returns the condition (with "AND " in front, or "") and the ORDER BY … LIMIT of
// the page under o, id being the id column; its arguments are appended to args as $n.
func (r CursorRequest) Clause(o Order, id string, args *[]any) (cond, order string) {
	forward, backward := "ASC", "DESC"
	after, before := ">", "<"
	if o.Desc {
		forward, backward, after, before = backward, forward, before, after
	}
	dir, op := forward, ""
	switch {
	case r.After != nil:
		op = after
		*args = append(*args, r.After.Value, r.After.ID)
	case r.Before != nil:
		dir, op = backward, before
		*args = append(*args, r.Before.Value, r.Before.ID)
	case r.Last:
		dir = backward
	}
	if op != "" {
		cond = fmt.Sprintf("AND (%s, %s) %s ($%d::%s, $%d)", o.Expr, id, op, len(*args)-1, o.Cast, len(*args))
	}
	return cond, fmt.Sprintf("ORDER BY %s %s, %s %s LIMIT %d", o.Expr, dir, id, dir, r.Limit+1)
}

// CursorPage is one page of a list sorted by an Order, with the cursors that lead to its
// neighbours.
type CursorPage[T any] struct {
	Rows []T
	// Prev and Next lead to the pages before and after; nil when there is none.
	Prev, Next *Cursor
	Count      Count
}

// FinishCursor turns the rows Clause selected into the page: it drops the probe row,
// restores the list's order and works out the neighbours. key gives a row's cursor.
func FinishCursor[T any](rows []T, r CursorRequest, key func(T) Cursor) CursorPage[T] {
	var p CursorPage[T]
	p.Rows, p.Prev, p.Next = finish(rows, r.Limit, r.After != nil, r.Before != nil, r.Last, key)
	return p
}
