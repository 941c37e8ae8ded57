package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"portal/internal/app"
	"portal/internal/config"
	"portal/internal/jobs"
	"portal/internal/operator"
	"portal/internal/ratelimit"
	"portal/internal/web"
	"portal/internal/webtest"
)

// The development mailbox fails closed: with no SMTP the portal starts only on a development
// machine (the embedded database, http on loopback). With BASE_URL=https and no SMTP anyone
// once read every reset link at /dev/mailbox.
func TestDevMailboxOnlyOnADevelopmentMachine(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	svc, err := app.New(env.Config, env.DB, slog.New(slog.DiscardHandler), jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(c *config.Config){
		"https":           func(c *config.Config) { c.BaseURL = "https://portal.example.jp" },
		"public host":     func(c *config.Config) { c.BaseURL = "http://portal.example.jp" },
		"shared database": func(c *config.Config) { c.EmbeddedDatabase = false },
		"all interfaces":  func(c *config.Config) { c.ListenHost = "0.0.0.0" },
	} {
		cfg := *env.Config
		cfg.SMTP = config.SMTP{}
		cfg.EmbeddedDatabase = true
		mutate(&cfg)
		if _, err := web.New(&cfg, svc, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil ||
			!strings.Contains(err.Error(), "SMTP_HOST must be set") {
			t.Errorf("%s without SMTP: %v", name, err)
		}
	}
	// With SMTP the mailbox and its footer link are gone whatever else holds.
	c := env.Client(t)
	if res := c.Get("/dev/mailbox"); res.Status != http.StatusNotFound {
		t.Errorf("/dev/mailbox with SMTP: %d", res.Status)
	}
	if strings.Contains(c.Get("/flow").Body, `href="/dev/mailbox"`) {
		t.Error("footer links the mailbox with SMTP configured")
	}
}

// One client cannot queue mail after mail: /register and /password/forgot refuse it after
// its limit with the Japanese 429 page and Retry-After (one client once queued 50 mails to
// 50 addresses in 0.19 s). Without a trusted proxy header configured, a forged
// X-Forwarded-For changes nothing.
func TestMailFormsLimitEachClient(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	for _, path := range []string{"/register", "/password/forgot"} {
		c := env.Client(t)
		c.Get(path)
		limit := ratelimit.RegisterPerClient.Max
		if path == "/password/forgot" {
			limit = ratelimit.PasswordResetPerClient.Max
		}
		for i := range limit {
			res := c.PostRawWithHeader(path, url.Values{"email": {fmt.Sprintf("a%d@example.jp", i)}, "csrf_token": {c.CSRF}},
				http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i+1)}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("%s request %d: %d", path, i+1, res.Status)
			}
		}
		res := c.PostRawWithHeader(path, url.Values{"email": {"one-more@example.jp"}, "csrf_token": {c.CSRF}},
			http.Header{"X-Forwarded-For": {"192.0.2.200"}})
		if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(res.Body, "受け付けを一時停止しています") {
			t.Errorf("%s over the limit: %d (Retry-After %q)", path, res.Status, res.Header.Get("Retry-After"))
		}
	}
}

// Behind a load balancer (TRUSTED_PROXY_HEADER set) clients are told apart by the header,
// and the per-address limit holds across instances and concurrency: 30 requests at once
// for one address, from 30 clients, through two instances, mail it exactly 5 times
// (30 parallel requests once gave 6 mails against a limit of 5).
func TestPerAddressLimitAcrossInstances(t *testing.T) {
	t.Parallel()
	env := webtest.New(t, func(c *config.Config) { c.TrustedProxyHeader = "X-Forwarded-For" })
	other := env.AnotherInstance(t)
	clients := []*webtest.Client{env.Client(t), other.Client(t)}
	for _, c := range clients {
		c.Get("/register")
	}
	// More requests from one connection than one client may make: the header tells the
	// clients apart (the client wrote the first entry, the proxy added the last).
	for i := range ratelimit.RegisterPerClient.Max + 2 {
		c := clients[0]
		res := c.PostRawWithHeader("/register", url.Values{"email": {fmt.Sprintf("many%d@example.jp", i)}, "csrf_token": {c.CSRF}},
			http.Header{"X-Forwarded-For": {fmt.Sprintf("192.0.2.1, 198.51.100.%d", i+1)}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("request %d from its own client: %d", i+1, res.Status)
		}
	}

	var wg sync.WaitGroup
	statuses := make([]int, 30)
	for i := range statuses {
		wg.Go(func() {
			c := clients[i%2]
			res := c.PostRawWithHeader("/register", url.Values{"email": {"victim@example.jp"}, "csrf_token": {c.CSRF}},
				http.Header{"X-Forwarded-For": {fmt.Sprintf("203.0.113.%d", i+1)}})
			statuses[i] = res.Status
		})
	}
	wg.Wait()
	passed := 0
	for i, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			passed++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("request %d: %d", i, s)
		}
	}
	if passed != ratelimit.RegisterPerAddress.Max {
		t.Errorf("%d of 30 passed, limit %d", passed, ratelimit.RegisterPerAddress.Max)
	}
	env.WaitMail(t, "victim@example.jp", "アカウント登録用URLのご案内")
	var queued, mailed int
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := env.DB.QueryRow(context.Background(), `SELECT
			(SELECT count(*) FROM river_job WHERE args->>'email' = 'victim@example.jp'),
			(SELECT count(*) FROM mail_outbox WHERE to_addr = 'victim@example.jp')`).Scan(&queued, &mailed)
		if err != nil {
			t.Fatal(err)
		}
		if mailed >= queued || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if queued != ratelimit.RegisterPerAddress.Max || mailed != queued {
		t.Errorf("%d mail jobs and %d mails for one address, limit %d", queued, mailed, ratelimit.RegisterPerAddress.Max)
	}
}

// Sign-in (facility and operator) costs an argon2id hash: past the per-client limit the
// login forms answer 429 with a message, before any hash is spent.
func TestSignInLimitedPerClient(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	limits := ratelimit.New(env.DB, env.Config.SessionSecret)
	for range ratelimit.SignInPerClient.Max {
		if err := limits.Allow(context.Background(), ratelimit.Check{Limit: ratelimit.SignInPerClient, Subject: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	c := env.Client(t)
	if res := login(c, "someone@example.jp", "Whatever123"); res.Status != http.StatusTooManyRequests ||
		!strings.Contains(res.Body, "短い時間に多くのログインがあったため") {
		t.Errorf("facility sign-in over the limit: %d", res.Status)
	}
	c.Get("/admin/login")
	if res := c.PostForm("/admin/login", url.Values{"login": {"operator"}, "password": {"Whatever123"}}); res.Status != http.StatusTooManyRequests ||
		!strings.Contains(res.Body, "短い時間に多くのログインがあったため") {
		t.Errorf("operator sign-in over the limit: %d", res.Status)
	}
}

// Signed-in and back-office pages are never cached (the browser's back button after
// sign-out showed them); a long URL is 414 with the Japanese page; no redirect echoes an
// unbounded part of the request; a CSRF token sent as a header leaves the form readable.
func TestSmallHardening(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "7777777", "堅牢化テスト診療所")
	seedAccount(t, env, f, "hard@example.jp", "Correct123")
	adminCreateOperator(t, env, "hardop", "堅牢 太郎", "Operator1234", operator.RoleSupervisor)

	member := env.Client(t)
	login(member, "hard@example.jp", "Correct123")
	for _, path := range []string{"/mypage", "/account/edit", "/account/email", "/account/password", "/cardreader", "/", "/faq"} {
		if res := member.Get(path); res.Status != 200 || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("signed in: %s %d Cache-Control %q", path, res.Status, res.Header.Get("Cache-Control"))
		}
	}
	op := env.Client(t)
	if res := adminLogin(op, "hardop", "Operator1234"); res.Status != http.StatusSeeOther {
		t.Fatalf("operator login: %d", res.Status)
	}
	for _, path := range []string{"/admin", "/admin/cardreader", "/admin/audit"} {
		if res := op.Get(path); res.Status != 200 || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("back office: %s %d Cache-Control %q", path, res.Status, res.Header.Get("Cache-Control"))
		}
	}

	long := strings.Repeat("長", 3000) // 9 KB escaped three times over
	for _, c := range []*webtest.Client{env.Client(t), member} {
		res := c.Get("/faq?q=" + url.QueryEscape(long))
		if res.Status != http.StatusRequestURITooLong || !strings.Contains(res.Body, "URLが長すぎます") {
			t.Errorf("long URL: %d", res.Status)
		}
	}

	// Every redirect, for a visitor, a facility and an operator, on a URL just under the
	// limit: the Location stays short.
	pad := "?x=" + strings.Repeat("a", 7000)
	for who, c := range map[string]*webtest.Client{"visitor": env.Client(t), "facility": member, "operator": op} {
		err := chiWalkGET(env, func(path string) {
			res := c.Get(path + pad)
			if loc := res.Location; len(loc) > 2100 {
				t.Errorf("%s: GET %s redirects to a Location of %d bytes", who, path, len(loc))
			}
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	visitor := env.Client(t)
	if res := visitor.Get("/login?next=/mypage" + url.QueryEscape(pad)); strings.Contains(res.Body, strings.Repeat("a", 3000)) {
		t.Error("the login page carries an unbounded next")
	}
	res := visitor.PostForm("/login", url.Values{"email": {"hard@example.jp"}, "password": {"Correct123"},
		"next": {"/mypage" + pad}})
	if res.Status != http.StatusSeeOther || res.Location != "/mypage" {
		t.Errorf("sign-in with a long next: %d %q", res.Status, res.Location)
	}

	// The CSRF token as a header: the handler still sees the form's fields (it used to get
	// none, and the sign-in failed as if nothing had been typed).
	c := env.Client(t)
	c.Get("/login")
	res = c.PostRawWithHeader("/login", url.Values{"email": {"hard@example.jp"}, "password": {"Correct123"}},
		http.Header{"X-CSRF-Token": {c.CSRF}})
	if res.Status != http.StatusSeeOther || res.Location != "/mypage" {
		t.Errorf("sign-in with the token in X-CSRF-Token: %d %q", res.Status, res.Location)
	}
}

// chiWalkGET calls fn with every GET route of the portal, its parameter filled with "1".
func chiWalkGET(env *webtest.Env, fn func(path string)) error {
	return chi.Walk(env.Server.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !strings.HasPrefix(route, "/test/") {
			fn(routeParam.ReplaceAllLiteralString(route, "1"))
		}
		return nil
	})
}
