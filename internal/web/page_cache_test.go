package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"portal/internal/config"
	"portal/internal/webtest"
)

var pageToken = regexp.MustCompile(`name="csrf[_-]token" (?:value|content)="([^"]*)"`)

// tokens are the CSRF tokens a page carries, the meta tag's and one per form.
func tokens(body string) []string {
	var out []string
	for _, m := range pageToken.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestPageCacheServesARenderingUntilWhatItShowsChanges: マイページ and the application
// forms are rendered once and served again while nothing on them has changed, and show a
// change at once, whoever made it on whichever instance; each browser gets its own CSRF
// token in the shared rendering, and no facility ever gets another's page.
func TestPageCacheServesARenderingUntilWhatItShowsChanges(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	f := seedFacility(t, env, 13, 1, "7100001", "キャッシュ確認薬局")
	seedAccount(t, env, f, "cache@example.jp", "Correct123")
	c := env.Client(t)
	if res := login(c, "cache@example.jp", "Correct123"); res.Location != "/mypage" {
		t.Fatalf("login: %d %s", res.Status, res.Location)
	}
	if res := c.Get("/mypage"); res.Status != 200 || !strings.Contains(res.Body, "現在、貴医療機関・薬局あてのお知らせはありません。") {
		t.Fatalf("/mypage: %d", res.Status)
	}

	// Served from the rendering: a row written with the stamp's trigger switched off (which
	// no writer of the portal can do) does not show.
	writeUnstamped(t, env, f.ID, "黙って書かれたお知らせ")
	if res := c.Get("/mypage"); strings.Contains(res.Body, "黙って書かれたお知らせ") {
		t.Fatal("マイページ was rendered again although its stamp held: the cache is not used")
	}

	// Written as every writer writes (the triggers move the stamp): shown at once.
	var msg int64
	if err := env.DB.QueryRow(ctx, `INSERT INTO facility_messages (facility_id, title, body) VALUES ($1, '新しいお知らせ', '本文') RETURNING id`, f.ID).Scan(&msg); err != nil {
		t.Fatal(err)
	}
	res := c.Get("/mypage")
	if !strings.Contains(res.Body, "新しいお知らせ") || !strings.Contains(res.Body, "黙って書かれたお知らせ") || strings.Count(res.Body, "未読") != 2 {
		t.Fatalf("after a message: マイページ shows the old rendering (%d 未読)", strings.Count(res.Body, "未読"))
	}

	// The same account in a second browser on a second instance: reading the message there
	// and editing the account there show here on the next view.
	other := env.AnotherInstance(t).Client(t)
	login(other, "cache@example.jp", "Correct123")
	if r := other.Get(fmt.Sprintf("/mypage/messages/%d", msg)); r.Status != 200 {
		t.Fatalf("message on the second instance: %d", r.Status)
	}
	if got := strings.Count(c.Get("/mypage").Body, "未読"); got != 1 {
		t.Errorf("after reading a message on another instance: %d 未読, want 1", got)
	}
	other.Get("/account/edit")
	if r := other.PostForm("/account/edit", map[string][]string{"name": {"キャッシュ確認薬局"}, "founder_name": {f.FounderName},
		"phone": {"03-1234-5678"}, "contact_name": {"佐藤一郎"}}); r.Location != "/account/edit/confirm" {
		t.Fatalf("account edit on the second instance: %d %s", r.Status, r.Location)
	}
	other.Get("/account/edit/confirm")
	if r := other.PostForm("/account/edit/confirm", nil); r.Status != 303 {
		t.Fatalf("account edit confirmed on the second instance: %d", r.Status)
	}
	if r := c.Get("/mypage"); !strings.Contains(r.Body, "佐藤一郎") {
		t.Errorf("after an account edit on another instance: マイページ (%d %s) shows the old contact name", r.Status, r.Location)
	}
	// The notice the edit left for its browser shows once, and is never kept in a rendering:
	// the browser's next view, and the other browser's, are without it.
	const updated = "アカウント情報を更新しました。"
	if !strings.Contains(other.Get("/mypage").Body, updated) || strings.Contains(other.Get("/mypage").Body, updated) ||
		strings.Contains(c.Get("/mypage").Body, updated) {
		t.Error("the notice after an account edit was not shown exactly once, to its browser")
	}

	// One rendering, each browser's own token: the tokens on the cached page are the ones
	// the browser's uncached pages carry, and differ between browsers.
	for _, path := range []string{"/mypage", "/cardreader", "/qualification", "/certificates"} {
		mine, theirs := tokens(c.Get(path).Body), tokens(other.Get(path).Body)
		want, wantOther := tokens(c.Get("/account/password").Body), tokens(other.Get("/account/password").Body)
		if len(mine) == 0 || len(want) == 0 || mine[0] != want[0] || theirs[0] != wantOther[0] || mine[0] == theirs[0] {
			t.Errorf("%s: tokens %v and %v, want %v and %v", path, mine, theirs, want, wantOther)
		}
		for _, tok := range append(mine, theirs...) {
			if tok != mine[0] && tok != theirs[0] {
				t.Errorf("%s: a token %q that is not the browser's", path, tok)
			}
		}
		if strings.Contains(c.Get(path).Body, "csrfplaceholder") {
			t.Errorf("%s: the placeholder went out", path)
		}
	}

	// What every facility sees (the catalog) moves the site's stamp: the form shows a new
	// reader at once.
	c.Get("/cardreader")
	if _, err := env.DB.Exec(ctx, `INSERT INTO card_reader_models (maker, product, sort_order) VALUES ('キャッシュ確認メーカー', 'CK-1', 0)`); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Get("/cardreader").Body, "キャッシュ確認メーカー") {
		t.Error("a new reader in the catalog does not show on the cached form")
	}

	// Another facility never gets this one's page.
	g := seedFacility(t, env, 13, 1, "7100002", "別の確認薬局")
	seedAccount(t, env, g, "other@example.jp", "Correct123")
	d := env.Client(t)
	login(d, "other@example.jp", "Correct123")
	for _, path := range []string{"/mypage", "/cardreader", "/qualification", "/certificates"} {
		body := d.Get(path).Body
		if strings.Contains(body, "キャッシュ確認薬局") || strings.Contains(body, "新しいお知らせ") || strings.Contains(body, "佐藤一郎") {
			t.Errorf("%s: another facility's page was served", path)
		}
	}
	if !strings.Contains(d.Get("/mypage").Body, "別の確認薬局") {
		t.Error("the other facility's マイページ does not name it")
	}
}

// writeUnstamped inserts a message for facility with the stamp's trigger switched off, so
// the page stamps do not move (the test's database is its own: nothing else writes there).
func writeUnstamped(t *testing.T, env *webtest.Env, facility int64, title string) {
	t.Helper()
	ctx := context.Background()
	tx, err := env.DB.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for _, sql := range []string{`ALTER TABLE facility_messages DISABLE TRIGGER facility_messages_stamp_ins`,
		`INSERT INTO facility_messages (facility_id, title, body) VALUES ($1, $2, '本文')`,
		`ALTER TABLE facility_messages ENABLE TRIGGER facility_messages_stamp_ins`} {
		var args []any
		if strings.HasPrefix(sql, "INSERT") {
			args = []any{facility, title}
		}
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestPageCacheOff: with PAGE_CACHE_MB=0 every view renders afresh.
func TestPageCacheOff(t *testing.T) {
	t.Parallel()
	env := webtest.New(t, func(c *config.Config) { c.PageCacheBytes = 0 })
	f := seedFacility(t, env, 13, 1, "7100003", "キャッシュなし薬局")
	seedAccount(t, env, f, "nocache@example.jp", "Correct123")
	c := env.Client(t)
	login(c, "nocache@example.jp", "Correct123")
	c.Get("/mypage")
	writeUnstamped(t, env, f.ID, "黙って書かれたお知らせ")
	if !strings.Contains(c.Get("/mypage").Body, "黙って書かれたお知らせ") {
		t.Error("with the page cache off, マイページ was not rendered afresh")
	}
}
