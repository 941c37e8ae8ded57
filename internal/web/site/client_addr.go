package site

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ClientAddr is the address the rate limits count a request under. Behind a load balancer
// the connection comes from the balancer, so with TRUSTED_PROXY_HEADER set the client is
// read from that header: the TRUSTED_PROXY_HOPS-th address from the right, the one the
// trusted proxies added (anything left of it the client may have written itself). Without
// the setting the header is ignored, since any client can send it. An IPv6 client is
// counted by its /64, which one client can fill at will.
func (s *Site) ClientAddr(r *http.Request) string {
	if h := s.Config.TrustedProxyHeader; h != "" {
		if ip, ok := fromProxyHeader(r.Header.Values(h), s.Config.TrustedProxyHops); ok {
			return clientKey(ip)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	return clientKey(ip)
}

// fromProxyHeader returns the hops-th address from the right of the header's values (one
// header or several, comma-separated), or false when there are fewer or it is not an IP.
func fromProxyHeader(values []string, hops int) (netip.Addr, bool) {
	var list []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			list = append(list, strings.TrimSpace(part))
		}
	}
	if hops < 1 || len(list) < hops {
		return netip.Addr{}, false
	}
	entry := list[len(list)-hops]
	// Some proxies add the port ("203.0.113.7:4711", "[2001:db8::1]:4711").
	if host, _, err := net.SplitHostPort(entry); err == nil {
		entry = host
	}
	ip, err := netip.ParseAddr(entry)
	return ip, err == nil
}

// clientKey is ip as the limits count it: IPv4 (and IPv4-mapped IPv6) whole, IPv6 by /64.
func clientKey(ip netip.Addr) string {
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
