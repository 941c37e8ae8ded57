package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"portal/internal/config"
	"portal/internal/webtest"
)

// Reading public pages must cost no database write: no session row for a visitor.
func TestVisitorsLeaveNoSessionRows(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	for _, p := range []string{"/", "/faq", "/catalog", "/", "/login"} {
		if res := c.Get(p); res.Status != 200 {
			t.Fatalf("%s: %d", p, res.Status)
		}
	}
	if !strings.Contains(c.Get("/login").Body, `name="csrf_token" value="`) {
		t.Error("the login form has no CSRF token")
	}
	var n int
	if err := env.DB.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d session rows after reading public pages (%v)", n, err)
	}
}

func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	env := webtest.New(t, func(c *config.Config) { c.SessionIdle = time.Second })
	f := seedFacility(t, env, 13, 4, "5500001", "アイドル薬局")
	seedAccount(t, env, f, "idle@example.jp", "Passw0rd123")
	c := env.Client(t)
	if res := login(c, "idle@example.jp", "Passw0rd123"); res.Status != 303 {
		t.Fatalf("login: %d", res.Status)
	}
	if res := c.Get("/mypage"); res.Status != 200 {
		t.Fatalf("mypage while active: %d", res.Status)
	}
	time.Sleep(2100 * time.Millisecond)
	if res := c.Get("/mypage"); res.Status != 303 || !strings.HasPrefix(res.Location, "/login") {
		t.Fatalf("mypage after the idle time-out: %d %s", res.Status, res.Location)
	}
}
