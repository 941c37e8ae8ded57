// Package webtest starts the whole portal (router, sessions, templates) on a loopback test
// server with its own database, for handler and browser tests.
package webtest

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
	"portal/internal/testdb"
	"portal/internal/web"
)

// Env is one running portal for one test.
type Env struct {
	URL    string
	DB     *pgxpool.Pool
	DBURL  string
	Config *config.Config
	Server *web.Server
}

// New starts the portal; mutate, when given, adjusts the configuration first.
func New(t testing.TB, mutate ...func(*config.Config)) *Env {
	t.Helper()
	db, dbURL := testdb.NewWithURL(t)
	srv := httptest.NewUnstartedServer(nil)
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return dbURL
		case "SESSION_SECRET":
			return "test-secret-test-secret-test-secret-0123"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL = "http://" + srv.Listener.Addr().String()
	for _, m := range mutate {
		m(cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	s, err := web.New(cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = s
	srv.Start()
	t.Cleanup(srv.Close)
	return &Env{URL: srv.URL, DB: db, DBURL: dbURL, Config: cfg, Server: s}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(strings.TrimSpace(string(p))); return len(p), nil }

// Client is a cookie-keeping HTTP client that does not follow redirects, so tests see them.
func (e *Env) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: e.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Client talks to the test server like a browser without JavaScript.
type Client struct {
	t    testing.TB
	base string
	http *http.Client
	// CSRF is the last csrf_token seen on a page.
	CSRF string
}

// Response is a read response.
type Response struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

var csrfField = regexp.MustCompile(`name="csrf[_-]token" (?:value|content)="([^"]+)"`)

func (c *Client) do(req *http.Request) *Response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL, err)
	}
	if m := csrfField.FindSubmatch(b); m != nil {
		c.CSRF = string(m[1])
	}
	return &Response{Status: res.StatusCode, Body: string(b), Header: res.Header, Location: res.Header.Get("Location")}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// PostForm posts form to path, adding the last seen CSRF token unless form has one.
func (c *Client) PostForm(path string, form url.Values) *Response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok && c.CSRF != "" {
		form.Set("csrf_token", c.CSRF)
	}
	return c.PostRaw(path, "application/x-www-form-urlencoded", form.Encode())
}

// PostRaw posts body as is, for hostile-input tests.
func (c *Client) PostRaw(path, contentType, body string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.do(req)
}
