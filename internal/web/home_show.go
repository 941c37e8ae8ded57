package web

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
)

// homeLatestNews is how many お知らせ the top page lists.
const homeLatestNews = 5

// homeCacheFor is how long a visitor's top page is reused. The top page is what every
// facility opens on a deadline day and it is the same for every visitor, so it is built
// at most once per interval and instance; news shows up within that time.
const homeCacheFor = 5 * time.Second

type homePage struct {
	Base
	News         []content.News
	Applications []application
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
func (s *Server) homeShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	visitor := currentUser(r) == nil && !s.sessions.Exists(ctx, "flash")
	now := time.Now()
	if visitor {
		if p := s.homeCache.get(now); p != nil {
			p.write(w, r)
			return
		}
	}
	news, err := content.ListNews(ctx, s.db, homeLatestNews, 0)
	if err != nil {
		// With the database away, visitors still get the top page as last rendered.
		if p := s.homeCache.last(); visitor && p != nil && outage.Is(err) {
			s.log.WarnContext(ctx, "database unavailable: top page from its last rendering", requestAttrs(r), errAttr(err))
			p.write(w, r)
			return
		}
		s.serverError(w, r, err)
		return
	}
	page := &homePage{News: news, Applications: applications}
	if !visitor {
		s.render(w, r, http.StatusOK, "home", page)
		return
	}
	s.fillBase(r, &page.Base)
	page.CSRFToken = ""
	body, err := s.tmpl.Render("home", page)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.homeCache.put(body, now.Add(homeCacheFor)).write(w, r)
}
