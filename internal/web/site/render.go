package site

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Renderer holds every page template, parsed once at start-up: each page is the shared
// layouts and partials plus its own file, so pages cannot overwrite each other's blocks.
// A page's name is its path under templates/ without .html: "cardreader/form".
type Renderer struct {
	pages map[string]*template.Template
}

// Base is what the layout needs on every page; each page's data struct embeds it.
type Base struct {
	// CSRFToken goes into every form as the hidden field csrf_token.
	CSRFToken string
	// Path is the request path, for marking the current navigation entry.
	Path string
	// DevMailbox is true when mails go to the built-in catcher (/dev/mailbox).
	DevMailbox bool
	// Flash is a one-time notice carried over a redirect.
	Flash string
	// SignedIn is the facility account's display name when someone is signed in.
	SignedIn string
}

// base lets the renderer fill the layout fields of any page struct that embeds Base.
func (b *Base) base() *Base { return b }

// Page is the data of a page: a struct embedding Base.
type Page interface{ base() *Base }

// NewRenderer parses templates/layouts, templates/partials and every other templates/*/…
// file as one page. It fails at start-up, not at request time, when a page is broken.
func NewRenderer(fsys fs.FS) (*Renderer, error) {
	shared := template.New("").Funcs(funcs)
	for _, dir := range []string{"templates/layouts/*.html", "templates/partials/*.html"} {
		if _, err := shared.ParseFS(fsys, dir); err != nil {
			return nil, fmt.Errorf("site: parse %s: %w", dir, err)
		}
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	err := fs.WalkDir(fsys, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")
		if dir := path.Dir(name); dir == "layouts" || dir == "partials" || !strings.Contains(name, "/") {
			return nil
		}
		t, err := shared.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, p); err != nil {
			return fmt.Errorf("site: parse %s: %w", p, err)
		}
		for _, block := range []string{"title", "main"} {
			if t.Lookup(block) == nil {
				return fmt.Errorf("site: %s does not define %q", p, block)
			}
		}
		r.pages[name] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Has reports whether page name exists.
func (r *Renderer) Has(name string) bool { _, ok := r.pages[name]; return ok }

// Render writes page name with data into a buffer; only a complete page is sent, so a
// template error becomes a clean error page instead of half a page.
func (r *Renderer) Render(name string, data any) ([]byte, error) {
	t, ok := r.pages[name]
	if !ok {
		return nil, fmt.Errorf("site: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return nil, fmt.Errorf("site: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// Render fills the layout fields of data and writes page name with the given status.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, status int, name string, data Page) {
	b := data.base()
	s.FillBase(r, b)
	// CachedPage keeps this rendering: it is made with the placeholder where the token
	// goes, and sent with this browser's token.
	c := capturing(r)
	keep := c != nil && status == http.StatusOK && b.Flash == ""
	token := b.CSRFToken
	if keep {
		b.CSRFToken = string(c.cache.placeholder)
	}
	body, err := s.Pages.Render(name, data)
	if err != nil {
		s.ServerError(w, r, err)
		return
	}
	if keep {
		c.cache.put(c.path, c.user, c.now, body)
		body = bytes.ReplaceAll(body, c.cache.placeholder, []byte(token))
	}
	WriteHTML(w, status, body)
}

// FillBase sets what the layout needs from the request.
func (s *Site) FillBase(r *http.Request, b *Base) {
	if !shared(r) {
		b.CSRFToken = s.CSRFToken(r)
	}
	b.Path = r.URL.Path
	b.DevMailbox = s.Config.DevMailbox()
	if b.Flash == "" {
		b.Flash = s.PopFlash(r)
	}
	if u := CurrentUser(r); u != nil {
		b.SignedIn = u.DisplayName()
	}
}

// WriteHTML writes a complete HTML body with its status.
func WriteHTML(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// With its length known the page goes out whole, not in chunks of net/http's 2 KB buffer.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// csrfSeedKey is the context key of the browser's CSRF cookie value.
type csrfSeedKey struct{}

// WithCSRFSeed puts the browser's CSRF cookie value into the request context; the router's
// CSRF middleware calls it.
func WithCSRFSeed(ctx context.Context, seed string) context.Context {
	return context.WithValue(ctx, csrfSeedKey{}, seed)
}

// CSRFToken returns the token for the request's forms: the HMAC of the browser's CSRF
// cookie under SESSION_SECRET (a signed double-submit cookie).
func (s *Site) CSRFToken(r *http.Request) string {
	seed, _ := r.Context().Value(csrfSeedKey{}).(string)
	if seed == "" {
		return ""
	}
	return s.CSRFSign(seed)
}

// CSRFSign is the token that belongs to a CSRF cookie value.
func (s *Site) CSRFSign(seed string) string {
	m := hmac.New(sha256.New, s.Config.SessionSecret)
	m.Write([]byte("csrf:" + seed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Flash keeps a one-time notice for the next page the browser shows.
func (s *Site) Flash(r *http.Request, msg string) { s.Sessions.Put(r.Context(), "flash", msg) }

// PopFlash returns and forgets the pending notice.
func (s *Site) PopFlash(r *http.Request) string { return s.Sessions.PopString(r.Context(), "flash") }

// HasFlash reports whether a notice waits (without taking it).
func (s *Site) HasFlash(r *http.Request) bool { return s.Sessions.Exists(r.Context(), "flash") }

type requestIDKey struct{}

// WithRequestID puts the request's ID into its context.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the ID the router gave the request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// RequestAttrs are the log attributes naming a request.
func RequestAttrs(r *http.Request) slog.Attr {
	return slog.Group("req", slog.String("id", RequestID(r.Context())), slog.String("method", r.Method), slog.String("path", r.URL.Path))
}

// ErrAttr is the log attribute of an error.
func ErrAttr(err error) slog.Attr { return slog.String("err", err.Error()) }

type sharedKey struct{}

// ForSharedRendering marks ctx as rendering a page every visitor shares: the page carries
// no CSRF token, and the returned time, when a handler sets it with CacheUntil, ends the
// sharing early.
func ForSharedRendering(ctx context.Context) (context.Context, *time.Time) {
	until := new(time.Time)
	return context.WithValue(ctx, sharedKey{}, until), until
}

// CacheUntil tells a shared rendering to end at t (a scheduled お知らせ goes live then).
func CacheUntil(r *http.Request, t time.Time) {
	if until, ok := r.Context().Value(sharedKey{}).(*time.Time); ok {
		*until = t
	}
}

func shared(r *http.Request) bool { return r.Context().Value(sharedKey{}) != nil }
