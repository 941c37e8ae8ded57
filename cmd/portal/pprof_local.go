//go:build pproflocal

// Built with -tags pproflocal (never in the binary make builds), the portal serves Go's
// profiler on 127.0.0.1:6060, for measuring where a page's CPU goes (docs/benchmarks.md):
//
//	go build -tags pproflocal -o /tmp/portal-prof ./cmd/portal
//	curl -o cpu.prof 'http://127.0.0.1:6060/debug/pprof/profile?seconds=10'   # under load
//	go tool pprof -top /tmp/portal-prof cpu.prof

package main

import (
	"net/http"
	_ "net/http/pprof"
)

func init() {
	go func() { _ = http.ListenAndServe("127.0.0.1:6060", nil) }()
}
