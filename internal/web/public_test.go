package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/internal/content"
	"portal/internal/webtest"
)

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	if err := content.SeedDemo(context.Background(), env.DB); err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	pages := []struct {
		path  string
		wants []string
	}{
		{"/", []string{
			"オンライン資格確認・医療情報化支援基金関係", "医療機関等向けポータルサイト",
			`href="/register"`, "初めてご利用になる方（アカウント登録）",
			`href="/login"`, "すでにアカウントをお持ちの方はログイン",
			"令和5年4月から導入が原則として義務付けられることになりました",
			"利用申請・補助申請される方", `href="/cardreader"`, "1. 顔認証付きカードリーダー申し込み",
			"2. オンライン資格確認利用申請", "6. 電子カルテ標準化関係補助金申請", "（準備中）",
			"※ご注意ください", "費用相当額を返還いただく",
			"受付番号を用いたアカウント登録・利用申請の受付について", // newest seeded news
			"0800-080-4583", "月曜日～金曜日 8:00～18:00", "土曜日 8:00～16:00",
			"Copyright &copy; Health Insurance Claims Review &amp; Reimbursement services. All Rights Reserved.",
			`href="#menu"`, `href="#content"`,
		}},
		{"/flow", []string{"利用申請・補助申請の流れ", "1. 顔認証付きカードリーダー申し込み", "3. 電子証明書発行申請", "（準備中）", "運用開始の4か月前まで"}},
		{"/catalog", []string{"顔認証付きカードリーダーカタログ", "富士通Japan株式会社", "Caora", "株式会社アルメックス", "マイナタッチ",
			"キヤノンマーケティングジャパン株式会社", "アトラス情報サービス株式会社", "EXC-9000", "パナソニック コネクト株式会社",
			`href="https://www.atlas-is.co.jp/exc-9000/"`, "申し込まれただけではオンライン資格確認は導入できません",
			"費用相当額を返還", `href="/cardreader"`, "カードリーダーの申込み画面へ", "メーカーにお問い合わせください"}},
		{"/faq", []string{"よくあるお問い合わせ", "当サイトの利用・アカウント登録について", "新設保険医療機関・新設保険薬局について",
			`id="q1"`, `id="q13"`, `id="q14"`, `id="q18"`, "Q18.", `name="q"`}},
		{"/downloads", []string{"各種資料ダウンロード", `href="/downloads/cardreader-application"`, "印刷用ページ"}},
		{"/downloads/implementation-plan", []string{"オンライン資格確認の導入計画書（別紙2）記入用様式", "⑬ 診療・調剤開始（予定）日"}},
		{"/news", []string{"お知らせ", "オンライン資格確認の原則義務化と経過措置の届出について"}},
		{"/privacy", []string{"情報保護管理体制", "利用目的"}},
		{"/terms", []string{"サイトのご利用にあたって", "免責事項"}},
	}
	for _, p := range pages {
		res := c.Get(p.path)
		if res.Status != 200 {
			t.Errorf("GET %s: %d", p.path, res.Status)
			continue
		}
		mustContain(t, p.path, res.Body, p.wants...)
		if !strings.Contains(res.Body, `aria-current="page"`) && p.path != "/downloads/implementation-plan" {
			t.Errorf("GET %s: no menu entry marked current", p.path)
		}
	}

	// Every document of the list opens.
	for _, d := range content.Documents() {
		if res := c.Get("/downloads/" + d.Slug); res.Status != 200 || !strings.Contains(res.Body, d.Title) {
			t.Errorf("document %s: %d", d.Slug, res.Status)
		}
	}
	for _, bad := range []string{"/downloads/no-such-document", "/downloads/no-such-document.txt", "/downloads/%3Cscript%3E.txt"} {
		if res := c.Get(bad); res.Status != 404 {
			t.Errorf("%s: %d, want 404", bad, res.Status)
		}
	}
	res := c.Get("/downloads/cardreader-application.txt")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `filename="cardreader-application.txt"`) {
		t.Fatalf("text version: %d %v", res.Status, res.Header)
	}
	mustContain(t, "text version", res.Body, "顔認証付きカードリーダーの申込手順書\r\n", "■ 3. カードリーダー申し込み部分（画面中部）", "病院：3台")
}

// TestFAQHasEveryQuestionVerbatim spot-checks texts of the seed that must survive as is.
func TestFAQHasEveryQuestionVerbatim(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	res := env.Client(t).Get("/faq")
	mustContain(t, "/faq", res.Body,
		"オンライン資格確認は必ず導入しなければいけませんか。",
		"アカウント登録は施設の代表として「1施設・1アカウント(アドレス)」でお願いします。",
		"ドメイン「shinsei.iryohokenjyoho-portalsite.jp」を許可するように設定してください。",
		"パスワードは大文字・小文字も区別されます。",
		"オンライン資格確認等コールセンター:0800-0804583(通話無料)",
		"〇 施設種別(病院、診療所、薬局)",
		"(令和3年1月時点で4~5ヶ月程度)",
		"書面による申込みにおける取扱いはどうなりますか。",
		"【2021.2.1厚生労働省Q&amp;A 新設保険医療機関・新設保険薬局について】",
	)
	for i := 1; i <= 18; i++ {
		if !strings.Contains(res.Body, fmt.Sprintf(`id="q%d"`, i)) || !strings.Contains(res.Body, fmt.Sprintf("Q%d.", i)) {
			t.Errorf("Q%d missing", i)
		}
	}
}

var faqIDs = regexp.MustCompile(`id="q(\d+)"`)

func TestFAQSearch(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)

	res := c.Get("/faq?q=" + url.QueryEscape("仮コード"))
	if res.Status != 200 {
		t.Fatalf("hit: %d", res.Status)
	}
	ids := faqIDs.FindAllStringSubmatch(res.Body, -1)
	if len(ids) != 5 || ids[0][1] != "14" {
		t.Errorf("仮コード found %v, want Q14–Q18", ids)
	}
	mustContain(t, "hit", res.Body, `value="仮コード"`, "<mark>仮コード</mark>", "5件")
	if strings.Contains(res.Body, `id="q1"`) {
		t.Error("Q1 shown for 仮コード")
	}

	res = c.Get("/faq?q=" + url.QueryEscape("存在しない語句"))
	if res.Status != 200 {
		t.Fatalf("miss: %d", res.Status)
	}
	mustContain(t, "miss", res.Body, "該当するよくあるお問い合わせはありません", `value="存在しない語句"`)
	if faqIDs.MatchString(res.Body) {
		t.Error("a question is shown for a query that matches none")
	}

	hostile := []string{
		"<script>alert(1)</script>",
		`"><img src=x onerror=alert(1)>`,
		"パスワード<script>",
		"' OR 1=1 --",
		"\x00\x01\x7f",
		strings.Repeat("あ", 800), // 7.2 KB escaped; beyond 8 KB the URL itself is refused (414)
	}
	for _, q := range hostile {
		res := c.Get("/faq?q=" + url.QueryEscape(q))
		if res.Status != 200 {
			t.Errorf("q=%.20q: status %d", q, res.Status)
		}
		for _, bad := range []string{"<script>alert", "<img src=x", "<script>\n", "\x00"} {
			if strings.Contains(res.Body, bad) {
				t.Errorf("q=%.20q: unescaped %q in page", q, bad)
			}
		}
	}
	// Invalid UTF-8 straight in the query string (no escaping by the client).
	for _, raw := range []string{"q=%ff%fe%fd", "q=%e3%81", "q=%zz", "q=%c0%bcscript%c0%be"} {
		res := c.Get("/faq?" + raw)
		if res.Status != 200 {
			t.Errorf("?%s: status %d", raw, res.Status)
		}
		if !strings.Contains(res.Body, `name="q"`) {
			t.Errorf("?%s: no search box", raw)
		}
	}
	// A search term inside markup-looking text is highlighted as text.
	res = c.Get("/faq?q=" + url.QueryEscape("パスワード<b>"))
	if strings.Contains(res.Body, "<b>") {
		t.Error("query markup reached the page")
	}
	mustContain(t, "escaped query", res.Body, `value="パスワード&lt;b&gt;"`)
}

func TestNewsPagesAndPaging(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	ctx := context.Background()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var lastID int64
	for i := 0; i < 45; i++ {
		at := base.AddDate(0, 0, i)
		id, err := content.InsertNews(ctx, env.DB, content.News{
			PublishAt: &at,
			Title:     fmt.Sprintf("テストのお知らせ%02d", i),
			Body:      "一行目\n<script>alert(1)</script>",
		})
		if err != nil {
			t.Fatal(err)
		}
		lastID = id
	}
	c := env.Client(t)
	res := c.Get("/news")
	if res.Status != 200 {
		t.Fatalf("/news: %d", res.Status)
	}
	if n := strings.Count(res.Body, `class="news-list__item"`); n != 20 {
		t.Errorf("page 1 lists %d items, want 20", n)
	}
	first := strings.Index(res.Body, "テストのお知らせ44")
	second := strings.Index(res.Body, "テストのお知らせ43")
	if first < 0 || second < 0 || first > second {
		t.Error("page 1 is not newest first")
	}
	mustContain(t, "/news", res.Body, `href="/news?page=2"`, "1 / 3 ページ")
	res = c.Get("/news?page=3")
	if n := strings.Count(res.Body, `class="news-list__item"`); res.Status != 200 || n != 5 {
		t.Errorf("page 3: %d, %d items", res.Status, n)
	}
	mustContain(t, "/news?page=3", res.Body, "テストのお知らせ00", `href="/news?page=2"`)
	for _, bad := range []string{"?page=4", "?page=0", "?page=-1", "?page=abc", "?page=99999999999999999999"} {
		if res := c.Get("/news" + bad); res.Status != 404 {
			t.Errorf("/news%s: %d, want 404", bad, res.Status)
		}
	}

	res = c.Get(fmt.Sprintf("/news/%d", lastID))
	if res.Status != 200 {
		t.Fatalf("news detail: %d", res.Status)
	}
	mustContain(t, "detail", res.Body, "テストのお知らせ44", "2024年2月14日", "&lt;script&gt;alert(1)&lt;/script&gt;")
	if strings.Contains(res.Body, "<script>alert") {
		t.Error("news body not escaped")
	}
	for _, bad := range []string{"999999", "0", "-1", "abc", "1.5", "99999999999999999999", "%ff"} {
		res := c.Get("/news/" + bad)
		if res.Status != 404 || !strings.Contains(res.Body, "お探しのページが見つかりません") {
			t.Errorf("/news/%s: %d, want the 404 page", bad, res.Status)
		}
	}
}

func TestEmptyCatalogAndNews(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	if res := c.Get("/catalog"); res.Status != 200 || !strings.Contains(res.Body, "現在掲載している製品はありません。") {
		t.Errorf("empty catalog: %d", res.Status)
	}
	if res := c.Get("/news"); res.Status != 200 || !strings.Contains(res.Body, "現在、お知らせはありません。") {
		t.Errorf("empty news: %d", res.Status)
	}
	if res := c.Get("/"); res.Status != 200 || !strings.Contains(res.Body, "現在、お知らせはありません。") {
		t.Errorf("top page without news: %d", res.Status)
	}
}

func TestStaticAssetsServed(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	for _, p := range []string{"/static/css/portal.css", "/static/js/portal.js"} {
		res := c.Get(p)
		if res.Status != 200 || len(res.Body) < 500 {
			t.Errorf("%s: %d, %d bytes", p, res.Status, len(res.Body))
		}
	}
	res := c.Get("/")
	if strings.Contains(res.Body, "<script>") || strings.Contains(res.Body, " style=") || strings.Contains(res.Body, "<style") {
		t.Error("inline script or style on the top page (the CSP forbids them)")
	}
}

// TestPublicLinksLead checks that every page the public pages and FAQ answers point to
// exists (a page behind login answers with a redirect, not 404).
func TestPublicLinksLead(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	targets := map[string]bool{"/register": true, "/login": true, "/flow": true, "/catalog": true, "/cardreader": true}
	for _, cat := range content.FAQCategories() {
		for _, f := range cat.Items {
			for _, l := range f.Links {
				targets[l.Href] = true
			}
		}
	}
	for href := range targets {
		path, frag, _ := strings.Cut(href, "#")
		res := c.Get(path)
		if res.Status == 404 || res.Status >= 500 {
			t.Errorf("link %s: status %d", href, res.Status)
			continue
		}
		if frag != "" && !strings.Contains(res.Body, `id="`+frag+`"`) {
			t.Errorf("link %s: no anchor %q on the page", href, frag)
		}
	}
}
