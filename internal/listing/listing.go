// Package listing pages the back office's long lists by keyset, not OFFSET: a page is the
// rows after (or before) the last one shown, found through an index on (time, id), so the
// first and the last page of a list of a million rows cost the same. Counts stop at Cap:
// nobody reads "312,457件", and counting them all on every view is what made lists slow.
package listing

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cap is where counting stops: a list of more shows "1,000件以上".
const Cap = 1000

// Count is a match count that stopped at Cap.
type Count int

// String is the count as the page shows it: 「123件」 or 「1,000件以上」.
func (c Count) String() string {
	if int(c) > Cap {
		return "1,000件以上"
	}
	return comma(int(c)) + "件"
}

func comma(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CountFromPage is the count when the page itself tells it: a request for an end of the list
// (first or last page, end true) that came back with at most its page size of rows — the
// probe row missing — holds every match, so no count query need run. That spares a second
// scan exactly when a rare filter made the page's own scan long.
func CountFromPage(fetched, limit int, end bool) (Count, bool) {
	if end && fetched <= limit {
		return Count(fetched), true
	}
	return 0, false
}

// CountSQL wraps a SELECT of matching rows (any columns) so PostgreSQL stops after Cap+1.
func CountSQL(selectMatches string) string {
	return fmt.Sprintf("SELECT count(*) FROM (%s LIMIT %d) capped", selectMatches, Cap+1)
}

// Key is where a page starts or ends in a list ordered newest first by (At, ID).
type Key struct {
	At time.Time
	ID int64
}

// String encodes the key for a URL.
func (k Key) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(k.At.UnixMicro(), 10) + "." + strconv.FormatInt(k.ID, 10)))
}

// ParseKey reads a key from a URL; ok is false for anything that is not one.
func ParseKey(s string) (Key, bool) {
	if s == "" || len(s) > 64 {
		return Key{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Key{}, false
	}
	at, id, ok := strings.Cut(string(b), ".")
	us, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || n <= 0 {
		return Key{}, false
	}
	return Key{At: time.UnixMicro(us), ID: n}, true
}

// Request is which page of a list is asked for: the first (zero Request), the one after
// a key (older rows), the one before a key (newer rows), or the last.
type Request struct {
	After  *Key
	Before *Key
	Last   bool
	// Limit is the page size.
	Limit int
}

// Whole reports whether the request is for an end of the list (the first or the last
// page), where a page that is not full holds every match (see CountFromPage).
func (r Request) Whole() bool { return r.After == nil && r.Before == nil }

// ParseRequest reads after, before and last from the query string.
func ParseRequest(get func(string) string, limit int) Request {
	r := Request{Limit: limit}
	if k, ok := ParseKey(get("after")); ok {
		r.After = &k
	} else if k, ok := ParseKey(get("before")); ok {
		r.Before = &k
	} else if get("last") == "1" {
		r.Last = true
	}
	return r
}

// Clause returns the condition (with "AND " in front, or "") and the ORDER BY … LIMIT of
// the page, on the time column at and the id column id; its arguments are appended to args
// as $n. The rows come back in the page's order of reading when reversed by Page for the
// backward directions.
func (r Request) Clause(at, id string, args *[]any) (cond, order string) {
	n := r.Limit + 1 // one more tells whether there is a further page
	switch {
	case r.After != nil:
		*args = append(*args, r.After.At, r.After.ID)
		return fmt.Sprintf("AND (%s, %s) < ($%d, $%d)", at, id, len(*args)-1, len(*args)),
			fmt.Sprintf("ORDER BY %s DESC, %s DESC LIMIT %d", at, id, n)
	case r.Before != nil:
		*args = append(*args, r.Before.At, r.Before.ID)
		return fmt.Sprintf("AND (%s, %s) > ($%d, $%d)", at, id, len(*args)-1, len(*args)),
			fmt.Sprintf("ORDER BY %s, %s LIMIT %d", at, id, n)
	case r.Last:
		return "", fmt.Sprintf("ORDER BY %s, %s LIMIT %d", at, id, n)
	}
	return "", fmt.Sprintf("ORDER BY %s DESC, %s DESC LIMIT %d", at, id, n)
}

// Page is one page of a list, newest first, with the keys that lead to its neighbours.
type Page[T any] struct {
	Rows []T
	// Newer and Older are the keys of the neighbouring pages; nil when there is none.
	Newer, Older *Key
	Count        Count
}

// Finish turns the rows Clause selected into the page: it drops the probe row, restores
// newest-first order and works out the neighbours. key gives a row's key.
func Finish[T any](rows []T, r Request, key func(T) Key) Page[T] {
	var p Page[T]
	p.Rows, p.Newer, p.Older = finish(rows, r.Limit, r.After != nil, r.Before != nil, r.Last, key)
	return p
}

// finish is Finish and FinishCursor whatever the key: it drops the probe row past limit,
// puts a page read backwards (before a key, or the last page) back in the list's order and
// returns the keys of the pages in front of the rows and behind them (nil for none).
func finish[T, K any](rows []T, limit int, after, before, last bool, key func(T) K) (page []T, front, behind *K) {
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	if before || last {
		for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
			rows[i], rows[j] = rows[j], rows[i]
		}
	}
	if len(rows) == 0 {
		return rows, nil, nil
	}
	first, end := key(rows[0]), key(rows[len(rows)-1])
	switch {
	case last:
		if more {
			front = &first
		}
	case before:
		behind = &end
		if more {
			front = &first
		}
	case after:
		front = &first
		if more {
			behind = &end
		}
	default:
		if more {
			behind = &end
		}
	}
	return rows, front, behind
}
