package public

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"portal/internal/web/site"
)

// Visitors' pages. A public page is the same for everyone who is not signed in, so it is
// rendered at most once per cacheFor per instance (per path and query), kept plain and
// gzipped with an ETag, and served from memory, even ahead of the session middleware for a
// browser without a session (ServeCached): on a deadline day most requests are these pages.
// While PostgreSQL is away, a page that needs it is served from its last rendering.

// cacheFor is how long a visitor's page is reused; news shows up within it (sooner when
// a handler says so with site.CacheUntil: a scheduled お知らせ goes live on time).
const cacheFor = 5 * time.Second

// maxCached bounds the number of renderings kept (paths × queries such as ?q= and ?page=).
const maxCached = 512

type cachedPage struct {
	body, gzipped []byte
	etag          string
}

type cacheEntry struct {
	page  *cachedPage
	until time.Time
}

// visitorCache holds the visitors' pages by path and query.
type visitorCache struct {
	mu    sync.Mutex
	pages map[string]cacheEntry
}

// get returns the fresh rendering of key, or nil; stale is the last one however old.
func (c *visitorCache) get(key string, now time.Time) (fresh, stale *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pages[key]
	if !ok {
		return nil, nil
	}
	if now.Before(e.until) {
		return e.page, e.page
	}
	return nil, e.page
}

func (c *visitorCache) put(key string, body []byte, until time.Time) *cachedPage {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	sum := sha256.Sum256(body)
	p := &cachedPage{body: body, gzipped: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages = map[string]cacheEntry{}
	}
	if len(c.pages) >= maxCached {
		now := time.Now()
		for k, e := range c.pages {
			if now.After(e.until.Add(time.Minute)) {
				delete(c.pages, k)
			}
		}
		if len(c.pages) >= maxCached {
			clear(c.pages)
		}
	}
	c.pages[key] = cacheEntry{page: p, until: until}
	return p
}

// write sends the page, compressed when the browser accepts it; a browser that already
// holds this version gets 304 without a body.
func (p *cachedPage) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", p.etag)
	h.Add("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, p.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	body := p.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = p.gzipped
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// cacheKey is the page's path and query: ?q= and ?page= make pages of their own.
func cacheKey(r *http.Request) string { return r.URL.Path + "?" + r.URL.RawQuery }

// visitor reports whether the request is a visitor's: nobody signed in, no notice waiting.
func (h *Handler) visitor(r *http.Request) bool {
	return site.CurrentUser(r) == nil && site.CurrentOperator(r) == nil && !h.HasFlash(r)
}

// cached serves a visitor's page from the shared rendering, or renders it (without a CSRF
// token: these pages post nothing) and keeps it. Signed-in users get their own rendering.
func (h *Handler) cached(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.visitor(r) {
			next(w, r)
			return
		}
		key, now := cacheKey(r), time.Now()
		fresh, stale := h.cache.get(key, now)
		if fresh != nil {
			fresh.write(w, r)
			return
		}
		rec := &recorder{header: http.Header{}}
		ctx, until := site.ForSharedRendering(r.Context())
		next(rec, r.WithContext(ctx))
		switch {
		case rec.status == http.StatusOK:
			end := now.Add(cacheFor)
			if t := *until; !t.IsZero() && t.Before(end) {
				end = t
			}
			h.cache.put(key, rec.body.Bytes(), end).write(w, r)
		case rec.status == http.StatusServiceUnavailable && stale != nil:
			// PostgreSQL is away: the last rendering is better than the 503 page.
			stale.write(w, r)
		default:
			rec.copyTo(w)
		}
	}
}

// Forget drops every shared rendering of this instance: a page changed by an operator
// (news, catalog) shows at once here, and within cacheFor on the other instances.
func (h *Handler) Forget() {
	h.cache.mu.Lock()
	clear(h.cache.pages)
	h.cache.mu.Unlock()
}

// ServeCached answers a visitor's page from a fresh shared rendering and reports whether it
// did. The router calls it ahead of the session middleware for browsers that hold no
// session: like a cache in front of the application.
func (h *Handler) ServeCached(w http.ResponseWriter, r *http.Request) bool {
	fresh, _ := h.cache.get(cacheKey(r), time.Now())
	if fresh == nil {
		return false
	}
	fresh.write(w, r)
	return true
}

// recorder keeps a handler's answer so it can be kept before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}

func (rec *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body.Bytes())
}
