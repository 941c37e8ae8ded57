package web_test

import (
	"net/url"
	"strings"
	"testing"

	"portal/internal/browsertest"
	"portal/internal/webtest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

func TestFoundationPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)

	res := c.Get("/")
	if res.Status != 200 || !strings.Contains(res.Body, "初めてご利用になる方（アカウント登録）") ||
		!strings.Contains(res.Body, "すでにアカウントをお持ちの方はログイン") {
		t.Fatalf("top page: %d %q", res.Status, res.Body)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
		if res.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
	if res := c.Get("/no-such-page"); res.Status != 404 || !strings.Contains(res.Body, "お探しのページが見つかりません") {
		t.Errorf("404 page: %d", res.Status)
	}
	if res := c.Get("/healthz"); res.Status != 200 {
		t.Errorf("healthz: %d", res.Status)
	}
	if res := c.Get("/readyz"); res.Status != 200 {
		t.Errorf("readyz: %d", res.Status)
	}
}

func TestStateChangesNeedCSRFToken(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	c.Get("/login")
	if res := c.PostForm("/", url.Values{"csrf_token": {"forged"}}); res.Status != 403 {
		t.Errorf("forged token: got %d, want 403", res.Status)
	}
	if res := c.PostRaw("/", "application/x-www-form-urlencoded", "a=%zz"); res.Status != 400 {
		t.Errorf("malformed body: got %d, want 400", res.Status)
	}
	if res := c.PostRaw("/", "application/x-www-form-urlencoded", "a="+strings.Repeat("x", 2<<20)); res.Status != 413 {
		t.Errorf("huge body: got %d, want 413", res.Status)
	}
	// A good token passes CSRF and reaches the router, which has no POST on /.
	if res := c.PostForm("/", url.Values{}); res.Status != 405 {
		t.Errorf("valid token: got %d, want 405", res.Status)
	}
}
