package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"portal/internal/webtest"
)

// The "Done when" figure of the foundation: the top page, served by the whole portal (every
// middleware, a session read and written in PostgreSQL, the template rendered), against a
// plain hello-world handler, both over real loopback HTTP with keep-alive clients, in the
// same `go test -bench` run. docs/benchmarks.md records the figures; `make bench` runs them.
//
//	go test -run '^$' -bench 'TopPage|HelloWorld' -benchtime 10s ./internal/web/

// BenchmarkTopPage measures GET / of the real portal. Each parallel worker is one visitor
// with its own cookie jar, so after its first request it comes back with a session, as a
// browser does.
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
