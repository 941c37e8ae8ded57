package site

import (
	"net/http/httptest"
	"testing"

	"portal/internal/config"
)

// The client address counted by the rate limits: the connection's unless a trusted proxy
// header is configured, then the entry the trusted proxies added; IPv6 by /64.
func TestClientAddr(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header string
		hops   int
		remote string
		xff    []string
		want   string
	}{
		{"", 1, "192.0.2.7:4000", []string{"203.0.113.1"}, "192.0.2.7"},                                    // header not trusted
		{"X-Forwarded-For", 1, "10.0.0.2:4000", []string{"203.0.113.1"}, "203.0.113.1"},                    // one proxy
		{"X-Forwarded-For", 1, "10.0.0.2:4000", []string{"6.6.6.6, 203.0.113.1"}, "203.0.113.1"},           // the client's own entry ignored
		{"X-Forwarded-For", 2, "10.0.0.2:4000", []string{"6.6.6.6, 203.0.113.1, 10.0.0.9"}, "203.0.113.1"}, // two proxies
		{"X-Forwarded-For", 2, "10.0.0.2:4000", []string{"6.6.6.6", "203.0.113.1, 10.0.0.9"}, "203.0.113.1"},
		{"X-Forwarded-For", 2, "10.0.0.2:4000", []string{"203.0.113.1"}, "10.0.0.2"}, // too few entries
		{"X-Forwarded-For", 1, "10.0.0.2:4000", []string{"not-an-ip"}, "10.0.0.2"},   // garbage
		{"X-Forwarded-For", 1, "10.0.0.2:4000", nil, "10.0.0.2"},                     // straight to the instance
		{"X-Real-Ip", 1, "10.0.0.2:4000", []string{"[2001:db8:1:2:3::4]:555"}, "2001:db8:1:2::/64"},
		{"", 1, "[2001:db8:1:2:aaaa::1]:4000", nil, "2001:db8:1:2::/64"},
		{"", 1, "[::ffff:192.0.2.7]:4000", nil, "192.0.2.7"},
	} {
		s := &Site{Config: &config.Config{TrustedProxyHeader: tc.header, TrustedProxyHops: tc.hops}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			name := tc.header
			if name == "" {
				name = "X-Forwarded-For"
			}
			r.Header.Add(name, v)
		}
		if got := s.ClientAddr(r); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc, got, tc.want)
		}
	}
}
