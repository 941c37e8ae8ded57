package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portal/internal/config"
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
	env := webtest.New(b, behindProxy)
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
			res, err := client.Do(benchPost(env.URL+"/login", form))
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

// BenchmarkSignInVsArgon2id measures both rates in alternating one-second slices (each
// b.Loop iteration is one slice of each), so a load that comes and goes on a shared machine
// weighs on both alike, and reports the ratio itself:
//
//	go test -run '^$' -bench SignInVsArgon2id -benchtime 20x ./internal/web/
func BenchmarkSignInVsArgon2id(b *testing.B) {
	env := webtest.New(b, behindProxy)
	f := seedFacility(b, env, 13, 1, "1234567", "ベンチ診療所")
	seedAccount(b, env, f, "bench@example.jp", "Bench12345")
	hash, err := password.Hash("Bench12345")
	if err != nil {
		b.Fatal(err)
	}
	transport := &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true}
	b.Cleanup(transport.CloseIdleConnections)
	procs := runtime.GOMAXPROCS(0)
	clients := make([]*benchClient, 2*procs)
	for i := range clients {
		if clients[i], err = newBenchClient(env.URL, transport); err != nil {
			b.Fatal(err)
		}
	}
	const slice = time.Second
	var signins, hashes int64
	var signinTime, hashTime time.Duration
	for b.Loop() {
		n, d := forSlice(slice, len(clients), func(i int) error { return clients[i].signIn() })
		signins, signinTime = signins+n, signinTime+d
		n, d = forSlice(slice, procs, func(int) error {
			if ok, err := password.Verify(hash, "Bench12345"); !ok || err != nil {
				return fmt.Errorf("verify: %v %v", ok, err)
			}
			return nil
		})
		hashes, hashTime = hashes+n, hashTime+d
	}
	sr, hr := float64(signins)/signinTime.Seconds(), float64(hashes)/hashTime.Seconds()
	b.ReportMetric(sr, "signin/s")
	b.ReportMetric(hr, "hash/s")
	b.ReportMetric(sr/hr, "ratio")
}

// forSlice runs op from workers goroutines until d has passed and returns how many ops
// finished and how long that took; it panics on an op's error, which fails the benchmark.
func forSlice(d time.Duration, workers int, op func(worker int) error) (int64, time.Duration) {
	var n atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if err := op(w); err != nil {
					panic(err)
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return n.Load(), time.Since(start)
}

// benchClient is a browser that signs in again and again.
type benchClient struct {
	http *http.Client
	url  string
	form string
}

func newBenchClient(base string, transport http.RoundTripper) (*benchClient, error) {
	jar, _ := cookiejar.New(nil)
	c := &benchClient{url: base + "/login", http: &http.Client{Transport: transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, err := c.http.Get(c.url)
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token on the login page")
	}
	c.form = url.Values{"csrf_token": {string(m[1])}, "email": {"bench@example.jp"}, "password": {"Bench12345"}}.Encode()
	return c, nil
}

func (c *benchClient) signIn() error {
	res, err := c.http.Do(benchPost(c.url, c.form))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mypage" {
		return fmt.Errorf("sign-in: status %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	return nil
}

// behindProxy runs the portal as behind a load balancer that passes the client's address
// in X-Forwarded-For, so each benchmark sign-in can come from its own client: from one
// address the per-client sign-in limit would refuse all but the first hundred.
func behindProxy(c *config.Config) { c.TrustedProxyHeader = "X-Forwarded-For" }

var benchAddrs atomic.Uint32

// benchPost is a form post from a new client address each time.
func benchPost(url, form string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	n := benchAddrs.Add(1)
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
	return req
}
