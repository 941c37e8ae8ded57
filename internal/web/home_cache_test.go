package web_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"portal/internal/webtest"
)

// The visitors' top page is shared: gzipped for browsers that take it, revalidated with its
// ETag; a signed-in facility's top page is its own and never carries the shared ETag.
func TestVisitorTopPageCache(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	get := func(h map[string]string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/", nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	plain := get(nil)
	etag := plain.Header.Get("ETag")
	body, _ := io.ReadAll(plain.Body)
	if plain.StatusCode != 200 || etag == "" || !strings.Contains(string(body), "すでにアカウントをお持ちの方はログイン") ||
		strings.Contains(string(body), "csrf") {
		t.Fatalf("visitor page: %d etag %q", plain.StatusCode, etag)
	}
	gz := get(map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("not gzipped: %v", gz.Header)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != string(body) {
		t.Error("gzipped page differs from the plain one")
	}
	if res := get(map[string]string{"If-None-Match": etag}); res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", res.StatusCode)
	}
	// A returning visitor (the CSRF cookie, no session) is served ahead of the session
	// middleware: the same page and ETag.
	var csrf string
	for _, c := range plain.Cookies() {
		if c.Name == "portal_csrf" {
			csrf = c.Name + "=" + c.Value
		}
	}
	again := get(map[string]string{"Cookie": csrf})
	againBody, _ := io.ReadAll(again.Body)
	if csrf == "" || again.StatusCode != 200 || again.Header.Get("ETag") != etag || string(againBody) != string(body) ||
		again.Header.Get("Set-Cookie") != "" {
		t.Fatalf("returning visitor: %d etag %q cookie %q", again.StatusCode, again.Header.Get("ETag"), csrf)
	}

	f := seedFacility(t, env, 13, 4, "5600001", "キャッシュ薬局")
	seedAccount(t, env, f, "cache@example.jp", "Passw0rd123")
	c := env.Client(t)
	login(c, "cache@example.jp", "Passw0rd123")
	res := c.Get("/")
	if res.Status != 200 || res.Header.Get("ETag") != "" || !strings.Contains(res.Body, "キャッシュ薬局") {
		t.Fatalf("signed-in top page: %d etag %q", res.Status, res.Header.Get("ETag"))
	}
}

// Every public page is shared among visitors the same way, per path and query: a browser
// without a session gets it from memory ahead of the session middleware (no cookie set),
// each ?q= has its own rendering, and signed-in users get their own page.
func TestVisitorPublicPagesShared(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	get := func(path string) (*http.Response, string) {
		res, err := http.Get(env.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	for _, p := range []string{"/flow", "/catalog", "/faq", "/faq?q=%E3%82%AB%E3%83%BC%E3%83%89", "/faq?q=%E8%A8%BC%E6%98%8E%E6%9B%B8", "/news", "/downloads", "/privacy", "/terms"} {
		first, body := get(p)
		second, again := get(p)
		if first.StatusCode != 200 || second.StatusCode != 200 || again != body || second.Header.Get("ETag") == "" ||
			second.Header.Get("Set-Cookie") != "" || strings.Contains(body, `name="csrf-token"`) {
			t.Errorf("%s: %d/%d, same %v, etag %q, cookie %q", p, first.StatusCode, second.StatusCode, again == body,
				second.Header.Get("ETag"), second.Header.Get("Set-Cookie"))
		}
	}
	_, cards := get("/faq?q=%E3%82%AB%E3%83%BC%E3%83%89")
	_, certs := get("/faq?q=%E8%A8%BC%E6%98%8E%E6%9B%B8")
	if cards == certs {
		t.Error("two searches share one rendering")
	}
	f := seedFacility(t, env, 13, 1, "5600002", "共有しない診療所")
	seedAccount(t, env, f, "noshare@example.jp", "Passw0rd123")
	c := env.Client(t)
	login(c, "noshare@example.jp", "Passw0rd123")
	if res := c.Get("/flow"); res.Status != 200 || res.Header.Get("ETag") != "" || !strings.Contains(res.Body, "共有しない診療所") {
		t.Errorf("signed-in /flow: %d etag %q", res.Status, res.Header.Get("ETag"))
	}
}
