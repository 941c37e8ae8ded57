// Package webtest starts the whole portal (router, sessions, templates) on a loopback test
// server with its own database, for handler and browser tests. Mail is real too: New starts
// an in-process SMTP server (Env.SMTP) and a mail worker, so a test reads what the portal
// mailed with env.WaitMail(t, to, subject).
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/app"
	"portal/internal/config"
	"portal/internal/jobs"
	"portal/internal/mail"
	"portal/internal/smtptest"
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
	// Services are the instance's domain services, for tests that tune one (a clock, the
	// inquiry form's minimum fill time).
	Services *app.Services
	// SMTP is the test SMTP server the portal mails to; nil with NewWithCatcher.
	SMTP *smtptest.Server

	logs *logBuffer
}

// Logs returns what the portal (server, job client and mail worker) logged so far, as
// slog text lines from level info up.
func (e *Env) Logs() string {
	if e.logs == nil {
		return ""
	}
	return e.logs.String()
}

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// MailWait is how long WaitMail waits for a mail (delivery normally takes milliseconds).
var MailWait = 15 * time.Second

// New starts the portal, an SMTP server for it (cfg.SMTP, TLS none), its job client and a
// mail worker that polls every 50ms, all stopped when the test ends. mutate, when given, adjusts the
// configuration first (clearing cfg.SMTP.Host selects the catcher, as NewWithCatcher does).
func New(t testing.TB, mutate ...func(*config.Config)) *Env {
	t.Helper()
	db, dbURL := testdb.NewWithURL(t)
	return NewOnDatabase(t, db, dbURL, mutate...)
}

// NewOnDatabase is New on a migrated database the test made itself (a throwaway cluster
// it stops and restarts, say) instead of one from testdb.
func NewOnDatabase(t testing.TB, db *pgxpool.Pool, dbURL string, mutate ...func(*config.Config)) *Env {
	t.Helper()
	smtpSrv := smtptest.Start(t)
	srv := httptest.NewUnstartedServer(nil)
	cfg, err := config.Load(func(k string) string {
		if k == "SESSION_SECRET" {
			return "test-secret-test-secret-test-secret-0123"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	// The test database lives in the embedded development cluster unless DATABASE_URL
	// points the tests elsewhere; only then may the portal use its development mailbox.
	cfg.DatabaseURL, cfg.EmbeddedDatabase = dbURL, testdb.Embedded()
	cfg.BaseURL = "http://" + srv.Listener.Addr().String()
	cfg.SMTP = config.SMTP{Host: smtpSrv.Host, Port: smtpSrv.Port, TLS: "none"}
	cfg.MailFrom = "医療機関等向けポータルサイト <no-reply@portal.test>"
	for _, m := range mutate {
		m(cfg)
	}
	logs := &logBuffer{}
	var out io.Writer = logs
	if testing.Verbose() {
		out = io.MultiWriter(logs, testWriter{t})
	}
	log := slog.New(slog.NewTextHandler(out, nil))
	s, svc := newInstance(t, cfg, db, log)
	srv.Config.Handler = s
	srv.Start()
	t.Cleanup(srv.Close)
	env := &Env{URL: srv.URL, DB: db, DBURL: dbURL, Config: cfg, Server: s, Services: svc, logs: logs}
	if cfg.SMTP.Configured() {
		env.SMTP = smtpSrv
	} else {
		smtpSrv.Stop()
	}
	startMailWorker(t, cfg, db, log)
	return env
}

// NewWithCatcher starts the portal without SMTP, as in development: mails go to the
// built-in catcher and /dev/mailbox exists. That needs the embedded development database
// (testdb.Embedded); with DATABASE_URL set the test is skipped.
func NewWithCatcher(t testing.TB, mutate ...func(*config.Config)) *Env {
	t.Helper()
	if !testdb.Embedded() {
		t.Skip("the development mailbox needs the embedded development database; DATABASE_URL is set")
	}
	return New(t, append(mutate, func(c *config.Config) { c.SMTP = config.SMTP{} })...)
}

// AnotherInstance starts a second portal on the same database and configuration, as a
// second instance behind a load balancer would be, with its own job client; mails still
// go out through e's worker.
func (e *Env) AnotherInstance(t testing.TB) *Env {
	t.Helper()
	s, svc := newInstance(t, e.Config, e.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &Env{URL: srv.URL, DB: e.DB, DBURL: e.DBURL, Config: e.Config, Server: s, Services: svc, SMTP: e.SMTP}
}

// newInstance builds one portal instance as portal serve does (services, job client) and
// starts its job client.
func newInstance(t testing.TB, cfg *config.Config, db *pgxpool.Pool, log *slog.Logger) (*web.Server, *app.Services) {
	t.Helper()
	svc, err := app.New(cfg, db, log, jobs.Options{PollInterval: 100 * time.Millisecond, ForTests: true})
	if err != nil {
		t.Fatal(err)
	}
	q := svc.Jobs
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("webtest: stop jobs: %v", err)
		}
	})
	s, err := web.New(cfg, svc, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, svc
}

// startMailWorker runs a fast mail worker until the test ends.
func startMailWorker(t testing.TB, cfg *config.Config, db *pgxpool.Pool, log *slog.Logger) {
	t.Helper()
	w, err := mail.NewWorker(cfg, db, log)
	if err != nil {
		t.Fatal(err)
	}
	w.PollInterval = 50 * time.Millisecond
	w.BaseBackoff = 50 * time.Millisecond
	w.MaxBackoff = 500 * time.Millisecond
	w.SendTimeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// WaitMail waits for the first mail to address to whose subject contains subjectContains
// and returns it decoded; it fails the test after MailWait. With NewWithCatcher it reads
// the catcher instead of the SMTP server.
func (e *Env) WaitMail(t testing.TB, to, subjectContains string) smtptest.Message {
	t.Helper()
	match := func(m smtptest.Message) bool {
		return strings.Contains(m.Subject, subjectContains) && slices.Contains(m.To, to)
	}
	if e.SMTP != nil {
		return e.SMTP.WaitFor(t, match, MailWait)
	}
	deadline := time.Now().Add(MailWait)
	for {
		caught, _, err := mail.ListCaught(context.Background(), e.DB, 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := len(caught) - 1; i >= 0; i-- { // oldest first, like the SMTP server
			c := caught[i]
			m := smtptest.Message{From: c.From, To: []string{c.To}, Subject: c.Subject, Body: c.Body}
			if match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("webtest: no mail to %s with subject containing %q within %v", to, subjectContains, MailWait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Mails returns every mail the portal has delivered so far, oldest first.
func (e *Env) Mails(t testing.TB) []smtptest.Message {
	t.Helper()
	if e.SMTP != nil {
		return e.SMTP.Messages()
	}
	caught, _, err := mail.ListCaught(context.Background(), e.DB, 100000, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]smtptest.Message, 0, len(caught))
	for i := len(caught) - 1; i >= 0; i-- {
		c := caught[i]
		out = append(out, smtptest.Message{From: c.From, To: []string{c.To}, Subject: c.Subject, Body: c.Body})
	}
	return out
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Client is a cookie-keeping HTTP client that does not follow redirects, so tests see them.
func (e *Env) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, env: e, base: e.URL, Header: http.Header{}, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Client talks to the test server like a browser without JavaScript.
type Client struct {
	t    testing.TB
	env  *Env
	base string
	http *http.Client
	// CSRF is the last csrf_token seen on a page.
	CSRF string
	// Header is added to every request, e.g. the X-Forwarded-For a load balancer would
	// write for this client (with config TrustedProxyHeader set).
	Header http.Header
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
	for k, vs := range c.Header {
		if _, set := req.Header[k]; !set {
			req.Header[k] = vs
		}
	}
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

// PostRawWithHeader posts form as is (no token added) with extra headers, e.g. a CSRF
// token in X-CSRF-Token or a proxy's X-Forwarded-For.
func (c *Client) PostRawWithHeader(path string, form url.Values, h http.Header) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range h {
		req.Header[k] = vs
	}
	return c.do(req)
}

// SetCookie plants a cookie in the client's jar, e.g. a session token an attacker chose.
func (c *Client) SetCookie(name, value string) {
	u, err := url.Parse(c.base)
	if err != nil {
		c.t.Fatal(err)
	}
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}
