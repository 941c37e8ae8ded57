package mail

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrBadCursor is returned by ParseCursor for a value it did not make.
var ErrBadCursor = errors.New("mail: not a list position")

// Cursor is a position in the outbox list, which runs newest first by (created_at, id):
// the mail a page starts after or ends before. Keyset paging makes the first, the last and
// any page in between cost the same, whatever the size of the outbox.
type Cursor struct {
	CreatedAt time.Time
	ID        int64
}

// IsZero reports whether c is no position (the ends of the list).
func (c Cursor) IsZero() bool { return c.ID == 0 }

// String encodes c for a URL: microseconds since 1970 (PostgreSQL's precision) and the id.
func (c Cursor) String() string {
	if c.IsZero() {
		return ""
	}
	return strconv.FormatInt(c.CreatedAt.UnixMicro(), 10) + "-" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor decodes Cursor.String; "" is the zero Cursor.
func ParseCursor(s string) (Cursor, error) {
	if s == "" {
		return Cursor{}, nil
	}
	at, id, ok := strings.Cut(s, "-")
	if !ok || len(s) > 40 {
		return Cursor{}, ErrBadCursor
	}
	micros, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 || micros < 0 {
		return Cursor{}, ErrBadCursor
	}
	return Cursor{CreatedAt: time.UnixMicro(micros), ID: n}, nil
}

// cursorOf is the position of m.
func cursorOf(m OutboxMail) Cursor { return Cursor{CreatedAt: m.CreatedAt, ID: m.ID} }
