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
