package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/webtest"
)

func TestNewsWrittenScheduledAndPublished(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	adminCreateOperator(t, env, "sv", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	adminCreateOperator(t, env, "op", "山田 担当", "Operator1234", operator.RoleOperator)
	if res := operatorClient(t, env, "op", "Operator1234").Get("/admin/news"); res.Status != http.StatusForbidden {
		t.Errorf("operator on /admin/news: %d", res.Status)
	}
	sv := operatorClient(t, env, "sv", "Supervisor1234")
	sv.Get("/admin/news/new")
	body := "第一段落です。[カタログ](/catalog) と https://example.jp/guide を参照。\n\n<b>第二段落</b>"
	at := time.Now().In(jp.Zone).Add(2 * time.Hour)
	v := url.Values{"category": {"重要なお知らせ"}, "title": {"予約したお知らせ"}, "body": {body}, "publish": {"schedule"},
		"publish_date": {at.Format("2006-01-02")}, "publish_time": {at.Format("15:04")}}
	// Preview: rendered with its links, nothing stored.
	v.Set("action", "preview")
	res := sv.PostForm("/admin/news/new", v)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, `<a href="/catalog">カタログ</a>`) ||
		!strings.Contains(res.Body, `<a href="https://example.jp/guide">`) || !strings.Contains(res.Body, "&lt;b&gt;第二段落") {
		t.Fatalf("preview: %d\n%s", res.Status, short(res.Body))
	}
	if n := countRows(t, env, `SELECT count(*) FROM news`); n != 0 {
		t.Fatalf("preview stored %d items", n)
	}
	v.Set("action", "save")
	if res := sv.PostForm("/admin/news/new", v); res.Status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.Status, short(res.Body))
	}
	if res := sv.Get("/admin/news"); !strings.Contains(res.Body, "公開予約") {
		t.Errorf("the list does not say it is scheduled")
	}
	// Its time comes in 2 s (moved nearer, as two hours are long for a test): before, no
	// visitor sees it; after, the top page (whose shared rendering lasts up to 5 s) does.
	if _, err := env.DB.Exec(context.Background(), `UPDATE news SET publish_at = now() + interval '2 seconds'`); err != nil {
		t.Fatal(err)
	}
	visitor := env.Client(t)
	for _, p := range []string{"/", "/news", "/news.atom", "/"} {
		if strings.Contains(visitor.Get(p).Body, "予約したお知らせ") {
			t.Errorf("%s shows the item before its time", p)
		}
	}
	time.Sleep(2500 * time.Millisecond)
	for _, p := range []string{"/", "/news"} {
		if !strings.Contains(visitor.Get(p).Body, "予約したお知らせ") {
			t.Errorf("%s does not show the item after its time", p)
		}
	}
	var id string
	if err := env.DB.QueryRow(context.Background(), `SELECT id::text FROM news`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	page := visitor.Get("/news/" + id)
	if !strings.Contains(page.Body, `<a href="/catalog">カタログ</a>`) || strings.Contains(page.Body, "<b>") {
		t.Errorf("news page body:\n%s", short(page.Body))
	}

	// The feed: valid Atom, JST times in RFC 3339.
	res = visitor.Get("/news.atom")
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Author  string   `xml:"author>name"`
		Entries []struct {
			Title     string `xml:"title"`
			ID        string `xml:"id"`
			Updated   string `xml:"updated"`
			Published string `xml:"published"`
			Link      struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(res.Body), &feed); err != nil {
		t.Fatalf("feed does not parse: %v", err)
	}
	jst := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$`)
	if feed.ID == "" || feed.Author == "" || !jst.MatchString(feed.Updated) || len(feed.Entries) != 1 {
		t.Fatalf("feed %+v", feed)
	}
	e := feed.Entries[0]
	if e.Title != "予約したお知らせ" || !jst.MatchString(e.Updated) || !jst.MatchString(e.Published) || !strings.HasSuffix(e.Link.Href, "/news/"+id) {
		t.Errorf("entry %+v", e)
	}
	if _, err := time.Parse(time.RFC3339, e.Published); err != nil {
		t.Error(err)
	}

	// Unpublished: gone from the site.
	if res := sv.PostForm("/admin/news/"+id+"/unpublish", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("unpublish: %d", res.Status)
	}
	if res := visitor.Get("/news/" + id); res.Status != http.StatusNotFound {
		t.Errorf("unpublished item: %d", res.Status)
	}
}
