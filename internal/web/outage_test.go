package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"portal/internal/database"
	"portal/internal/devdb"
	"portal/internal/jobs"
	"portal/internal/webtest"
)

// PostgreSQL stopped under a running portal: pages that need it answer 503 with a Japanese
// page and Retry-After (not 500), the top page (from its last rendering), pages without
// data and static files keep working, and once PostgreSQL is back everything recovers by
// itself: pages, sign-in sessions, the job client and the mail worker. The test owns a
// throwaway cluster; the shared development cluster other tests use is never stopped.
func TestDatabaseOutageAndRecovery(t *testing.T) {
	t.Parallel()
	if err := devdb.Installed(); err != nil {
		// make test installs PostgreSQL unless DATABASE_URL points elsewhere.
		t.Skipf("this test runs its own PostgreSQL cluster and needs the server programs: %v", err)
	}
	ctx := context.Background()
	root, err := os.MkdirTemp("", "portal-outage-")
	if err != nil {
		t.Fatal(err)
	}
	cluster, err := devdb.Start(ctx, root)
	if err != nil {
		t.Fatalf("a throwaway PostgreSQL cluster is needed (make test installs PostgreSQL): %v", err)
	}
	t.Cleanup(func() {
		_ = cluster.Stop(context.Background())
		_ = os.RemoveAll(root)
	})
	dbURL := cluster.URL(devdb.Database)
	db, err := database.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := database.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Migrate(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	env := webtest.NewOnDatabase(t, db, dbURL)
	f := seedFacility(t, env, 13, 1, "1234567", "停止テスト診療所")
	seedAccount(t, env, f, "outage@example.jp", "Correct123")
	member := env.Client(t)
	if res := login(member, "outage@example.jp", "Correct123"); res.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", res.Status)
	}
	visitor := env.Client(t)
	if res := visitor.Get("/"); res.Status != 200 {
		t.Fatalf("top page: %d", res.Status)
	}
	visitor.Get("/password/forgot") // its CSRF token, for a POST while the database is away

	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	// A first-time visitor, after the top page's cache interval has passed.
	time.Sleep(6 * time.Second)
	for _, path := range []string{"/", "/flow", "/privacy", "/static/css/portal.css"} {
		if res := env.Client(t).Get(path); res.Status != 200 {
			t.Errorf("database away: %s answered %d", path, res.Status)
		}
	}
	if res := env.Client(t).Get("/"); !strings.Contains(res.Body, "すでにアカウントをお持ちの方はログイン") {
		t.Error("database away: the top page lost its content")
	}
	away := map[string]*webtest.Response{
		"GET /mypage (signed in)": member.Get("/mypage"),
		"GET /news":               env.Client(t).Get("/news"),
		"POST /password/forgot":   visitor.PostForm("/password/forgot", url.Values{"email": {"outage@example.jp"}}),
	}
	for what, res := range away {
		if res.Status != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(res.Body, "ただいまご利用いただけません") {
			t.Errorf("database away: %s answered %d (Retry-After %q)", what, res.Status, res.Header.Get("Retry-After"))
		}
	}
	if res := env.Client(t).Get("/readyz"); res.Status != http.StatusServiceUnavailable {
		t.Errorf("database away: /readyz %d", res.Status)
	}
	for _, line := range strings.Split(env.Logs(), "\n") {
		if strings.Contains(line, "request failed") {
			t.Errorf("an outage logged as a failed request: %s", line)
		}
	}

	if err := cluster.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := member.Get("/mypage")
		if res.Status == 200 && strings.Contains(res.Body, "停止テスト診療所") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not recovered 30 s after PostgreSQL returned: /mypage %d", res.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if res := visitor.PostForm("/password/forgot", url.Values{"email": {"outage@example.jp"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("password reset after recovery: %d", res.Status)
	}
	env.WaitMail(t, "outage@example.jp", "パスワード再設定用URLのご案内")
	if res := env.Client(t).Get("/readyz"); res.Status != 200 {
		t.Errorf("/readyz after recovery: %d", res.Status)
	}
}

// A client that goes away before its answer is not the portal's failure: no 500 and no
// error in the log.
func TestClientGoneIsNotAnError(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodGet, "/news", nil).WithContext(ctx)
	rec := httptest.NewRecorder()
	env.Server.ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("client gone: %d, want 499 (client closed request) in the access log", rec.Code)
	}
	if logs := env.Logs(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("client gone logged as an error:\n%s", logs)
	}
}
