package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"portal/internal/webtest"
)

// The "Done when" figure of the foundation: the top page, served by the whole portal (every
// middleware, the session and CSRF cookie handling, the visitors' page cache), against a
// plain hello-world handler, both over real loopback HTTP with keep-alive clients, in the
// same `go test -bench` run. docs/benchmarks.md records the figures; `make bench` runs them.
// BenchmarkTopPageVsHelloWorld alternates the two in one-second slices, so a load that comes
// and goes on a shared machine weighs on both alike:
//
//	go test -run '^$' -bench TopPageVsHelloWorld -benchtime 20x ./internal/web/
//	go test -run '^$' -bench 'TopPage$|HelloWorld$' -benchtime 10s ./internal/web/

// BenchmarkTopPage measures GET / of the real portal. Each parallel worker is one visitor
// with its own cookie jar, so after its first request it comes back with its cookies, as a
// browser does. Compression is off: the 9 kB page travels whole.
func BenchmarkTopPage(b *testing.B) {
	env := webtest.New(b)
	loadHTTP(b, env.URL+"/", "初めてご利用になる方（アカウント登録）")
}

// BenchmarkHelloWorld is the yardstick: the same client and loopback, a handler that only
// writes "hello".
func BenchmarkHelloWorld(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello")
	}))
	b.Cleanup(srv.Close)
	loadHTTP(b, srv.URL+"/", "hello")
}

// loadHTTP sends GET url from b.RunParallel workers (GOMAXPROCS × 4 of them, so the server
// is kept busy while clients wait on the network) and reports requests per second. Every
// response must be 200 and contain want, so a benchmark of an error page cannot pass.
func loadHTTP(b *testing.B, url, want string) {
	b.Helper()
	transport := &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true}
	b.Cleanup(transport.CloseIdleConnections)
	b.SetParallelism(4)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Transport: transport, Jar: jar}
		for pb.Next() {
			res, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
				b.Errorf("GET %s: status %d, err %v", url, res.StatusCode, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkTopPageVsHelloWorld reports both rates and their ratio from alternating slices
// (each b.Loop iteration is one second of each), with 4 × GOMAXPROCS clients.
func BenchmarkTopPageVsHelloWorld(b *testing.B) {
	env := webtest.New(b)
	hello := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello")
	}))
	b.Cleanup(hello.Close)
	transport := &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true}
	b.Cleanup(transport.CloseIdleConnections)
	workers := 4 * runtime.GOMAXPROCS(0)
	clients := make([]*http.Client, workers)
	for i := range clients {
		jar, _ := cookiejar.New(nil)
		clients[i] = &http.Client{Transport: transport, Jar: jar}
	}
	get := func(c *http.Client, url, want string) error {
		res, err := c.Get(url)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			return fmt.Errorf("GET %s: status %d, err %v", url, res.StatusCode, err)
		}
		return nil
	}
	var pages, hellos int64
	var pageTime, helloTime time.Duration
	for b.Loop() {
		n, d := forSlice(time.Second, workers, func(i int) error {
			return get(clients[i], env.URL+"/", "初めてご利用になる方（アカウント登録）")
		})
		pages, pageTime = pages+n, pageTime+d
		n, d = forSlice(time.Second, workers, func(i int) error { return get(clients[i], hello.URL+"/", "hello") })
		hellos, helloTime = hellos+n, helloTime+d
	}
	pr, hr := float64(pages)/pageTime.Seconds(), float64(hellos)/helloTime.Seconds()
	b.ReportMetric(pr, "page/s")
	b.ReportMetric(hr, "hello/s")
	b.ReportMetric(pr/hr, "ratio")
}
