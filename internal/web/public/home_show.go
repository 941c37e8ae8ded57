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

	"portal/internal/content"
	"portal/internal/outage"
	"portal/internal/web/site"
)

// homeLatestNews is how many お知らせ the top page lists.
const homeLatestNews = 5

// homeCacheFor is how long a visitor's top page is reused. The top page is what every
// facility opens on a deadline day and it is the same for every visitor, so it is built
// at most once per interval and instance; news shows up within that time.
const homeCacheFor = 5 * time.Second

type homePage struct {
	site.Base
	News         []content.News
	Applications []site.Application
}

// pageCache holds one rendered page, plain and gzipped, for a short time.
type pageCache struct {
	mu    sync.Mutex
	page  *cachedPage
	until time.Time
}

type cachedPage struct {
	body, gzipped []byte
	etag          string
}

func (c *pageCache) get(now time.Time) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Before(c.until) {
		return c.page
	}
	return nil
}

// last returns the newest rendering however old, or nil: what the top page shows while the
// database is away.
func (c *pageCache) last() *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.page
}

func (c *pageCache) put(body []byte, until time.Time) *cachedPage {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	sum := sha256.Sum256(body)
	p := &cachedPage{body: body, gzipped: buf.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	c.mu.Lock()
	c.page, c.until = p, until
	c.mu.Unlock()
	return p
}

// write sends the page, compressed when the browser accepts it: the top page is the most
// requested one, and compressing it once per interval costs nothing per request. A browser
// that already holds this version gets 304 without a body.
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

// homeShow is the top page: both entrances, the 義務化 notice, the latest news and the
// numbered list of applications. Visitors (no sign-in, no pending notice) share one
// rendering; it carries no CSRF token because the visitor's top page has no form.
func (h *Handler) homeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	visitor := site.CurrentUser(r) == nil && !h.Sessions.Exists(ctx, "flash")
	now := time.Now()
	if visitor {
		if p := h.homeCache.get(now); p != nil {
			p.write(w, r)
			return
		}
	}
	news, next, err := h.content.HomeNews(ctx, homeLatestNews)
	if err != nil {
		// With the database away, visitors still get the top page as last rendered.
		if p := h.homeCache.last(); visitor && p != nil && outage.Is(err) {
			h.Log.WarnContext(ctx, "database unavailable: top page from its last rendering", site.RequestAttrs(r), site.ErrAttr(err))
			p.write(w, r)
			return
		}
		h.ServerError(w, r, err)
		return
	}
	page := &homePage{News: news, Applications: site.Applications}
	if !visitor {
		h.Render(w, r, http.StatusOK, "public/home", page)
		return
	}
	h.FillBase(r, &page.Base)
	page.CSRFToken = ""
	body, err := h.Pages.Render("public/home", page)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	// A scheduled お知らせ shows at its publish time: the shared rendering ends then.
	until := now.Add(homeCacheFor)
	if next != nil && next.Before(until) {
		until = *next
	}
	h.homeCache.put(body, until).write(w, r)
}

// ServeCachedHome answers a visitor's top page from the shared rendering when one is
// fresh, and reports whether it did. The router calls it ahead of the session middleware
// for browsers that hold no session: like a cache in front of the application.
func (h *Handler) ServeCachedHome(w http.ResponseWriter, r *http.Request) bool {
	p := h.homeCache.get(time.Now())
	if p == nil {
		return false
	}
	p.write(w, r)
	return true
}
