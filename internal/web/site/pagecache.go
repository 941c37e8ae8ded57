package site

import (
	"bytes"
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"portal/internal/account"
	"portal/internal/jp"
	"portal/internal/session"
)

// The page cache. A signed-in facility reads its pages (マイページ, the application forms,
// 電子証明書の状況) far more often than anything on them changes, and on a deadline day
// every facility reloads them. A page wrapped in CachedPage is rendered once and served
// again from memory for as long as nothing it shows has changed, which is known without a
// query of its own: the page stamp (session.Stamp) comes with the session, and triggers move
// it whenever a row the facility's pages show changes, on whichever instance wrote it. The
// account and facility are compared field by field (they are read with the session too),
// and a rendering is reused on the day it was made and for at most pageCacheTTL, for what
// depends on the clock (this month's first selectable month).
//
// A rendering carries a placeholder where the browser's CSRF token goes; each answer
// carries its own browser's token. A page is kept per account and path, so nobody is ever
// served a page rendered for somebody else.

// pageCacheTTL bounds how long a rendering is reused even when its stamp holds.
const pageCacheTTL = time.Minute

// PageCache keeps renderings of signed-in facilities' pages, at most PAGE_CACHE_MB of them
// per instance (64 by default: a rendering is 5–20 kB), the least recently served going
// first.
type PageCache struct {
	mu          sync.Mutex
	entries     map[pageKey]*list.Element // of *pageEntry
	recent      list.List                 // most recently served first
	bytes, max  int
	placeholder []byte
}

type pageKey struct {
	path    string
	account int64
}

// pageEntry is a rendering and what it was rendered from.
type pageEntry struct {
	key      pageKey
	stamp    session.Stamp
	day      int
	account  account.Account
	facility account.Facility
	until    time.Time
	// parts are the rendering cut where the CSRF token goes, once, when it is kept.
	parts [][]byte
	size  int
}

// NewPageCache returns an empty page cache holding at most maxBytes of renderings.
func NewPageCache(maxBytes int) *PageCache {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	// Letters and digits only, so that it reads the same in every context html/template
	// escapes for (attribute, text, URL, script), like the token it stands for.
	return &PageCache{entries: map[pageKey]*list.Element{}, max: maxBytes,
		placeholder: []byte("csrfplaceholder" + hex.EncodeToString(b))}
}

// jstDay is t's date in JST as one number.
func jstDay(t time.Time) int {
	y, m, d := t.In(jp.Zone).Date()
	return y*10000 + int(m)*100 + d
}

// sameAccount reports whether a page rendered for a shows b's account as it is.
func sameAccount(a, b *account.Account) bool {
	return a.ID == b.ID && a.FacilityID == b.FacilityID && a.Email == b.Email && a.FacilityName == b.FacilityName &&
		a.FounderName == b.FounderName && a.Phone == b.Phone && a.ContactName == b.ContactName &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
}

// get returns the rendering of path for u that still shows what is true now, cut where
// the CSRF token goes, or nil.
func (c *PageCache) get(path string, u *User, now time.Time) [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[pageKey{path, u.Account.ID}]
	if !ok {
		return nil
	}
	e := el.Value.(*pageEntry)
	if e.stamp != u.Stamp || e.day != jstDay(now) || !now.Before(e.until) ||
		e.facility != u.Facility || !sameAccount(&e.account, u.Account) {
		return nil
	}
	c.recent.MoveToFront(el)
	return e.parts
}

// put keeps body as the rendering of path for u.
func (c *PageCache) put(path string, u *User, now time.Time, body []byte) {
	body = bytes.Clone(body) // its own size, not the render buffer's, which may be twice it
	e := &pageEntry{key: pageKey{path, u.Account.ID}, stamp: u.Stamp, day: jstDay(now), account: *u.Account,
		facility: u.Facility, until: now.Add(pageCacheTTL), parts: bytes.Split(body, c.placeholder), size: len(body)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[e.key]; ok {
		c.remove(el)
	}
	c.entries[e.key] = c.recent.PushFront(e)
	c.bytes += e.size
	for c.bytes > c.max && c.recent.Len() > 0 {
		c.remove(c.recent.Back())
	}
}

func (c *PageCache) remove(el *list.Element) {
	e := c.recent.Remove(el).(*pageEntry)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

// Len is the number of renderings kept.
func (c *PageCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// withToken is the rendering cut into parts, joined with the browser's CSRF token.
func withToken(parts [][]byte, token string) []byte { return bytes.Join(parts, []byte(token)) }

// pageCapture is how CachedPage asks Render to keep what it renders.
type pageCapture struct {
	cache *PageCache
	path  string
	user  *User
	now   time.Time
}

type pageCaptureKey struct{}

func capturing(r *http.Request) *pageCapture {
	c, _ := r.Context().Value(pageCaptureKey{}).(*pageCapture)
	return c
}

// CachedPage serves a signed-in facility's GET page (without a query) from its rendering
// while nothing on it has changed, and otherwise runs next, keeping what it renders with
// status 200. Anything else (a query, a notice waiting to be shown, a user read without
// its stamp) goes to next as if there were no cache.
func (s *Site) CachedPage(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := CurrentUser(r)
		token := s.CSRFToken(r)
		if s.PageCache == nil || r.Method != http.MethodGet || r.URL.RawQuery != "" || u == nil || u.Account == nil ||
			!u.Stamped || token == "" || s.HasFlash(r) {
			next(w, r)
			return
		}
		now := time.Now()
		if parts := s.PageCache.get(r.URL.Path, u, now); parts != nil {
			WriteHTML(w, http.StatusOK, withToken(parts, token))
			return
		}
		c := &pageCapture{cache: s.PageCache, path: r.URL.Path, user: u, now: now}
		next(w, r.WithContext(context.WithValue(r.Context(), pageCaptureKey{}, c)))
	}
}
