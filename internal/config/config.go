// Package config reads the portal's settings from the environment once, into a typed struct.
package config

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is every setting the portal reads from its environment.
type Config struct {
	// DatabaseURL is a PostgreSQL connection string; empty means "use the private
	// development cluster under .dev/".
	DatabaseURL string
	// EmbeddedDatabase is true when the database is the checkout's private development
	// cluster (internal/devdb): Load sets it when DATABASE_URL is unset, and tests whose
	// databases live in that cluster (internal/testdb) set it themselves. Only then may
	// mails go to the development mailbox.
	EmbeddedDatabase bool
	// ListenHost is the address the server binds to (127.0.0.1 unless told otherwise).
	ListenHost string
	// Port is the TCP port of the web server.
	Port int
	// BaseURL is the absolute URL used in mailed links, without a trailing slash.
	BaseURL string
	// SessionSecret keys the HMACs of tokens the portal hands out (never logged).
	SessionSecret []byte
	// SessionIdle and SessionLifetime are the idle and absolute session time-outs.
	SessionIdle     time.Duration
	SessionLifetime time.Duration
	// SMTP holds the outgoing mail server; an empty Host selects the built-in catcher.
	SMTP SMTP
	// MailFrom is the sender of every mail.
	MailFrom string
	// MailBodyRetention is how long the outbox keeps the body of a sent or failed mail;
	// the rest of its delivery record stays.
	MailBodyRetention time.Duration
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// TrustedProxyHeader names the header in which the load balancer passes the client's
	// address (X-Forwarded-For, X-Real-IP); empty means the connection's own address is the
	// client's. Rate limits count per client address.
	TrustedProxyHeader string
	// TrustedProxyHops says which entry of that header is the client: the Nth from the
	// right, 1 being the address the nearest proxy added.
	TrustedProxyHops int
	// ShutdownDelay is how long /readyz answers 503 after SIGTERM before the listener
	// closes, so the load balancer stops sending requests first.
	ShutdownDelay time.Duration
	// PageCacheBytes bounds the signed-in facilities' pages each instance keeps rendered
	// (internal/web/site's page cache); 0 turns the cache off.
	PageCacheBytes int
	// BroadcastRate is how many broadcast mails (一斉送信, 個別文書のお知らせ) per second the
	// mail workers of every instance together hand to the SMTP server, at most.
	BroadcastRate float64
}

// BroadcastInterval is the least time between two broadcast mails: 1/BroadcastRate.
func (c *Config) BroadcastInterval() time.Duration {
	if c.BroadcastRate <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / c.BroadcastRate)
}

// SMTP is the outgoing mail server.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is "none", "starttls" (default when a port other than 465 is set) or "tls".
	TLS string
}

// Configured reports whether a real SMTP server is set; otherwise mail goes to the catcher.
func (s SMTP) Configured() bool { return s.Host != "" }

// String hides the password, so a config printed by mistake leaks nothing.
func (s SMTP) String() string {
	return fmt.Sprintf("smtp://%s@%s:%d (tls=%s)", s.Username, s.Host, s.Port, s.TLS)
}

// devSecret is used only when SESSION_SECRET is unset, which Load allows in development.
const devSecret = "development-only-secret-change-me-0123456789"

// Load reads the environment through getenv (os.Getenv in production).
func Load(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var errs []error
	c := &Config{
		DatabaseURL: strings.TrimSpace(getenv("DATABASE_URL")),
		ListenHost:  valueOr(getenv("LISTEN_HOST"), "127.0.0.1"),
		MailFrom:    valueOr(getenv("MAIL_FROM"), "医療機関等向けポータルサイト <no-reply@portal.localhost>"),
		LogLevel:    valueOr(getenv("LOG_LEVEL"), "info"),
	}
	c.Port = intOr(getenv("PORT"), 8080, "PORT", &errs)
	c.BaseURL = strings.TrimRight(valueOr(getenv("BASE_URL"), fmt.Sprintf("http://127.0.0.1:%d", c.Port)), "/")
	secret := getenv("SESSION_SECRET")
	if secret == "" {
		// Served over https means production: a known secret there would let anyone forge
		// provisional-credential hashes.
		if strings.HasPrefix(c.BaseURL, "https://") {
			errs = append(errs, errors.New("SESSION_SECRET must be set when BASE_URL is https"))
		}
		secret = devSecret
	}
	if len(secret) < 32 {
		errs = append(errs, errors.New("SESSION_SECRET must be at least 32 characters"))
	}
	c.SessionSecret = []byte(secret)
	c.SessionIdle = durationOr(getenv("SESSION_IDLE_TIMEOUT"), 30*time.Minute, "SESSION_IDLE_TIMEOUT", &errs)
	c.SessionLifetime = durationOr(getenv("SESSION_LIFETIME"), 12*time.Hour, "SESSION_LIFETIME", &errs)
	c.SMTP = SMTP{
		Host:     strings.TrimSpace(getenv("SMTP_HOST")),
		Username: getenv("SMTP_USERNAME"),
		Password: getenv("SMTP_PASSWORD"),
		TLS:      valueOr(getenv("SMTP_TLS"), "starttls"),
	}
	c.SMTP.Port = intOr(getenv("SMTP_PORT"), 587, "SMTP_PORT", &errs)
	c.EmbeddedDatabase = c.DatabaseURL == ""
	c.TrustedProxyHeader = http.CanonicalHeaderKey(strings.TrimSpace(getenv("TRUSTED_PROXY_HEADER")))
	if c.TrustedProxyHeader != "" && !validHeaderName(c.TrustedProxyHeader) {
		errs = append(errs, fmt.Errorf("TRUSTED_PROXY_HEADER must be a header name such as X-Forwarded-For, not %q", c.TrustedProxyHeader))
	}
	c.PageCacheBytes = 64 << 20
	if v := strings.TrimSpace(getenv("PAGE_CACHE_MB")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 65536 {
			errs = append(errs, fmt.Errorf("PAGE_CACHE_MB must be a number of megabytes from 0 (off) to 65536, not %q", v))
		}
		c.PageCacheBytes = n << 20
	}
	c.TrustedProxyHops = 1
	if v := strings.TrimSpace(getenv("TRUSTED_PROXY_HOPS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 16 {
			errs = append(errs, fmt.Errorf("TRUSTED_PROXY_HOPS must be a number from 1 to 16, not %q", v))
		} else {
			c.TrustedProxyHops = n
		}
	}
	c.ShutdownDelay = 5 * time.Second
	if v := strings.TrimSpace(getenv("SHUTDOWN_DELAY")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > 5*time.Minute {
			errs = append(errs, fmt.Errorf("SHUTDOWN_DELAY must be a duration from 0s to 5m such as 5s, not %q", v))
		} else {
			c.ShutdownDelay = d
		}
	}
	c.BroadcastRate = 10
	if v := strings.TrimSpace(getenv("BROADCAST_RATE")); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r < 0.01 || r > 1000 {
			errs = append(errs, fmt.Errorf("BROADCAST_RATE must be a number of mails per second from 0.01 to 1000, such as 10, not %q", v))
		} else {
			c.BroadcastRate = r
		}
	}
	switch c.SMTP.TLS {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS must be none, starttls or tls, not %q", c.SMTP.TLS))
	}
	c.MailBodyRetention = daysOr(getenv("MAIL_BODY_RETENTION"), 90*24*time.Hour, "MAIL_BODY_RETENTION", &errs)
	if err := c.CheckMail(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// DevMailbox reports whether mails go to the development mailbox (/dev/mailbox) instead of
// an SMTP server: only with SMTP_HOST unset on a development machine (DevelopmentMachine).
func (c *Config) DevMailbox() bool { return !c.SMTP.Configured() && c.DevelopmentMachine() }

// DevelopmentMachine reports whether the portal runs as on a developer's machine: the
// embedded development database, BASE_URL plain http on a loopback host, and a loopback
// LISTEN_HOST. The development mailbox shows every mail, reset links included, to anyone
// who can open it, so anything else must have SMTP.
func (c *Config) DevelopmentMachine() bool {
	u, err := url.Parse(c.BaseURL)
	return err == nil && c.EmbeddedDatabase && u.Scheme == "http" && loopback(u.Hostname()) && loopback(c.ListenHost)
}

// CheckMail refuses a configuration in which mails would go to the development mailbox
// anywhere but on a development machine: there, anyone could read every reset link, and an
// instance sharing its database with another would take that instance's mails.
func (c *Config) CheckMail() error {
	if c.SMTP.Configured() || c.DevelopmentMachine() {
		return nil
	}
	var why []string
	if !c.EmbeddedDatabase {
		why = append(why, "DATABASE_URL is set")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme != "http" || !loopback(u.Hostname()) {
		why = append(why, "BASE_URL is not plain http on 127.0.0.1 or localhost")
	}
	if !loopback(c.ListenHost) {
		why = append(why, "LISTEN_HOST is not a loopback address")
	}
	return fmt.Errorf("SMTP_HOST must be set: without it mails go to the development mailbox /dev/mailbox, "+
		"which anyone reaching the portal can read, and that is allowed only on a development machine (%s)", strings.Join(why, ", "))
}

// loopback reports whether host is localhost or a loopback IP address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && ip.IsLoopback()
}

// validHeaderName reports whether name is an HTTP header name (an RFC 9110 token).
func validHeaderName(name string) bool {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return name != ""
}

// Addr is the host:port the server listens on.
func (c *Config) Addr() string { return fmt.Sprintf("%s:%d", c.ListenHost, c.Port) }

func valueOr(v, def string) string {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	return v
}

func intOr(v string, def int, name string, errs *[]error) int {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 || n > 65535 {
		*errs = append(*errs, fmt.Errorf("%s must be a port number, not %q", name, v))
		return def
	}
	return n
}

func durationOr(v string, def time.Duration, name string, errs *[]error) time.Duration {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		*errs = append(*errs, fmt.Errorf("%s must be a duration such as 30m, not %q", name, v))
		return def
	}
	return d
}

// daysOr reads a number of days ("90d") or a Go duration ("2160h").
func daysOr(v string, def time.Duration, name string, errs *[]error) time.Duration {
	v = strings.TrimSpace(v)
	if days, ok := strings.CutSuffix(v, "d"); ok && v != "" {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 100*365 {
			*errs = append(*errs, fmt.Errorf("%s must be a number of days such as 90d, not %q", name, v))
			return def
		}
		return time.Duration(n) * 24 * time.Hour
	}
	return durationOr(v, def, name, errs)
}
