package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Port != 8080 || c.BaseURL != "http://127.0.0.1:8080" || c.Addr() != "127.0.0.1:8080" || c.SMTP.Configured() ||
		c.SessionIdle != 30*time.Minute || c.SMTP.TLS != "starttls" || c.MailBodyRetention != 90*24*time.Hour {
		t.Errorf("defaults: %+v", c)
	}
	c, err = Load(env(map[string]string{"PORT": "18080"}))
	if err != nil || c.BaseURL != "http://127.0.0.1:18080" {
		t.Errorf("PORT=18080: %v %v", c.BaseURL, err)
	}
}

func TestBadSettingsAreAllReported(t *testing.T) {
	_, err := Load(env(map[string]string{"PORT": "http", "SMTP_TLS": "ssl", "SESSION_SECRET": "short", "SESSION_IDLE_TIMEOUT": "soon",
		"MAIL_BODY_RETENTION": "-3d"}))
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{"PORT", "SMTP_TLS", "SESSION_SECRET", "SESSION_IDLE_TIMEOUT", "MAIL_BODY_RETENTION"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

func TestProductionNeedsASecret(t *testing.T) {
	if _, err := Load(env(map[string]string{"BASE_URL": "https://portal.example.jp"})); err == nil {
		t.Error("https without SESSION_SECRET accepted")
	}
	c, err := Load(env(map[string]string{"BASE_URL": "https://portal.example.jp/", "SESSION_SECRET": strings.Repeat("s", 40),
		"SMTP_PASSWORD": "hunter2", "SMTP_HOST": "smtp.example.jp"}))
	if err != nil || c.BaseURL != "https://portal.example.jp" {
		t.Fatalf("%v %v", c, err)
	}
	if strings.Contains(c.SMTP.String(), "hunter2") {
		t.Error("SMTP password printed")
	}
}

func TestMailBodyRetention(t *testing.T) {
	for v, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, " 365d ": 365 * 24 * time.Hour, "720h": 30 * 24 * time.Hour} {
		c, err := Load(env(map[string]string{"MAIL_BODY_RETENTION": v}))
		if err != nil || c.MailBodyRetention != want {
			t.Errorf("%q: %v %v", v, c, err)
		}
	}
	for _, v := range []string{"0d", "d", "1.5d", "forever", "0", "99999d"} {
		if _, err := Load(env(map[string]string{"MAIL_BODY_RETENTION": v})); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
}

// The development mailbox shows every mail to whoever opens it, so it exists only on a
// development machine; anything else without SMTP refuses to start and says why (with
// BASE_URL=https and no SMTP, anyone once read every reset link there).
func TestDevMailboxFailsClosed(t *testing.T) {
	secret := strings.Repeat("s", 40)
	dev, err := Load(env(nil))
	if err != nil || !dev.DevMailbox() || !dev.EmbeddedDatabase {
		t.Fatalf("development machine: %v %+v", err, dev)
	}
	for _, e := range []map[string]string{
		{"BASE_URL": "http://localhost:8080"},
		{"BASE_URL": "http://[::1]:8080", "LISTEN_HOST": "::1"},
	} {
		if c, err := Load(env(e)); err != nil || !c.DevMailbox() {
			t.Errorf("%v: %v", e, err)
		}
	}
	for _, tc := range []struct {
		env  map[string]string
		says string
	}{
		{map[string]string{"BASE_URL": "https://portal.example.jp", "SESSION_SECRET": secret}, "BASE_URL"},
		{map[string]string{"BASE_URL": "http://portal.example.jp"}, "BASE_URL"},
		{map[string]string{"BASE_URL": "http://127.0.0.1.example.jp"}, "BASE_URL"},
		{map[string]string{"DATABASE_URL": "postgres://db/portal"}, "DATABASE_URL is set"},
		{map[string]string{"LISTEN_HOST": "0.0.0.0"}, "LISTEN_HOST"},
	} {
		_, err := Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), "SMTP_HOST must be set") || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%v: %v", tc.env, err)
		}
	}
	// With SMTP any of those is fine, and the mailbox is gone.
	c, err := Load(env(map[string]string{"BASE_URL": "https://portal.example.jp", "SESSION_SECRET": secret,
		"DATABASE_URL": "postgres://db/portal", "LISTEN_HOST": "0.0.0.0", "SMTP_HOST": "smtp.example.jp"}))
	if err != nil || c.DevMailbox() || c.EmbeddedDatabase {
		t.Fatalf("production: %v %+v", err, c)
	}
	// Tests on the embedded cluster's databases say so themselves; the check follows.
	dev.DatabaseURL = "postgres://portal@/t_1?host=/tmp/x"
	if !dev.DevMailbox() || dev.CheckMail() != nil {
		t.Error("embedded database with a URL")
	}
	dev.EmbeddedDatabase = false
	if dev.DevMailbox() || dev.CheckMail() == nil {
		t.Error("shared database accepted for the mailbox")
	}
}

func TestProxyAndShutdownSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.TrustedProxyHeader != "" || c.TrustedProxyHops != 1 || c.ShutdownDelay != 5*time.Second {
		t.Fatalf("defaults: %v %+v", err, c)
	}
	c, err = Load(env(map[string]string{"TRUSTED_PROXY_HEADER": "x-forwarded-for", "TRUSTED_PROXY_HOPS": "2", "SHUTDOWN_DELAY": "0s"}))
	if err != nil || c.TrustedProxyHeader != "X-Forwarded-For" || c.TrustedProxyHops != 2 || c.ShutdownDelay != 0 {
		t.Fatalf("set: %v %+v", err, c)
	}
	_, err = Load(env(map[string]string{"TRUSTED_PROXY_HEADER": "X Forwarded", "TRUSTED_PROXY_HOPS": "0", "SHUTDOWN_DELAY": "-1s"}))
	for _, want := range []string{"TRUSTED_PROXY_HEADER", "TRUSTED_PROXY_HOPS", "SHUTDOWN_DELAY"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
}

func TestBroadcastRate(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.BroadcastRate != 10 || c.BroadcastInterval() != 100*time.Millisecond {
		t.Errorf("default: %v %v %v", c.BroadcastRate, c.BroadcastInterval(), err)
	}
	c, err = Load(env(map[string]string{"BROADCAST_RATE": "0.5"}))
	if err != nil || c.BroadcastInterval() != 2*time.Second {
		t.Errorf("0.5/s: %v %v", c.BroadcastInterval(), err)
	}
	for _, bad := range []string{"0", "-1", "fast", "5000"} {
		if _, err := Load(env(map[string]string{"BROADCAST_RATE": bad})); err == nil || !strings.Contains(err.Error(), "BROADCAST_RATE") {
			t.Errorf("BROADCAST_RATE=%s: %v", bad, err)
		}
	}
}

func TestPageCacheSize(t *testing.T) {
	for v, want := range map[string]int{"": 64 << 20, "0": 0, "256": 256 << 20} {
		c, err := Load(env(map[string]string{"PAGE_CACHE_MB": v}))
		if err != nil || c.PageCacheBytes != want {
			t.Errorf("PAGE_CACHE_MB=%q: %v %d, want %d", v, err, c.PageCacheBytes, want)
		}
	}
	for _, v := range []string{"-1", "64MB", "70000"} {
		if _, err := Load(env(map[string]string{"PAGE_CACHE_MB": v})); err == nil || !strings.Contains(err.Error(), "PAGE_CACHE_MB") {
			t.Errorf("PAGE_CACHE_MB=%q: %v", v, err)
		}
	}
}
