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
