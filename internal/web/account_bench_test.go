package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/password"
	"portal/internal/webtest"
)

// Sign-in throughput against the raw argon2id rate with the same parameters, in one run:
//
//	go test -run '^$' -bench 'SignInParallel|Argon2idParallel' -benchtime 10s ./internal/web/
//
// Every sign-in verifies one argon2id hash (m=19 MiB, t=2, p=1), which dominates its cost;
// the ratio of the two req/s figures is how much the rest (HTTP, CSRF, session renewal in
// PostgreSQL, the lock-out bookkeeping) takes away. docs/benchmarks.md records it.

// BenchmarkSignInParallel posts the login form of the real portal over loopback HTTP: each
// parallel worker is a browser with its own cookies that signs in again and again.
func BenchmarkSignInParallel(b *testing.B) {
	env := webtest.New(b)
	f := seedFacility(b, env, 13, 1, "1234567", "ベンチ診療所")
	seedAccount(b, env, f, "bench@example.jp", "Bench12345")
	transport := &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true}
	b.Cleanup(transport.CloseIdleConnections)
	csrf := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	// Two sign-ins per core in flight, so a core has work while the other waits on PostgreSQL.
	b.SetParallelism(2)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Transport: transport, Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
		res, err := client.Get(env.URL + "/login")
		if err != nil {
			b.Error(err)
			return
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := csrf.FindSubmatch(page)
		if m == nil {
			b.Error("no CSRF token on the login page")
			return
		}
		form := url.Values{"csrf_token": {string(m[1])}, "email": {"bench@example.jp"}, "password": {"Bench12345"}}.Encode()
		for pb.Next() {
			res, err := client.Post(env.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mypage" {
				b.Errorf("sign-in: status %d → %q", res.StatusCode, res.Header.Get("Location"))
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signin/s")
}

// BenchmarkArgon2idParallel is the yardstick: password.Verify alone, one per core at a time.
func BenchmarkArgon2idParallel(b *testing.B) {
	hash, err := password.Hash("Bench12345")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ok, err := password.Verify(hash, "Bench12345"); !ok || err != nil {
				b.Errorf("verify: %v %v", ok, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hash/s")
}
