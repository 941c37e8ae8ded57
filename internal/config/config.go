// Package config reads the portal's settings from the environment once, into a typed struct.
package config

import (
	"errors"
	"fmt"
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
	switch c.SMTP.TLS {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS must be none, starttls or tls, not %q", c.SMTP.TLS))
	}
	c.MailBodyRetention = daysOr(getenv("MAIL_BODY_RETENTION"), 90*24*time.Hour, "MAIL_BODY_RETENTION", &errs)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return c, nil
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

// DevMailbox reports whether mails go to the built-in catcher shown at /dev/mailbox.
func (c *Config) DevMailbox() bool { return !c.SMTP.Configured() }

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
