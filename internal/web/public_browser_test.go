package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/content"
	"portal/internal/webtest"
)

// TestBrowserPublicWalk walks as a visitor: top page → FAQ through the menu → keyword
// search → catalog with the seeded makers.
func TestBrowserPublicWalk(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	if err := content.SeedDemo(context.Background(), env.DB); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 60*time.Second)

	browsertest.Run(t, tab, "open top page",
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible(".entrances"))
	news := browsertest.Get(t, tab, "latest news", chromedp.Text(".news-list"))
	if !strings.Contains(news, "受付番号を用いたアカウント登録・利用申請の受付について") {
		t.Errorf("top page news: %q", news)
	}

	browsertest.Run(t, tab, "menu to FAQ",
		chromedp.Click(`#menu a[href="/faq"]`),
		chromedp.WaitVisible("#faq-q"))
	if h1 := browsertest.Get(t, tab, "FAQ heading", chromedp.Text("h1")); h1 != "よくあるお問い合わせ" {
		t.Errorf("FAQ h1 = %q", h1)
	}
	if cur := browsertest.Get(t, tab, "current menu entry", chromedp.Text(`#menu a[aria-current="page"]`)); cur != "よくあるお問い合わせ" {
		t.Errorf("current menu entry = %q", cur)
	}

	browsertest.Run(t, tab, "search the FAQ",
		chromedp.SendKeys("#faq-q", "電話番号"),
		chromedp.Click(`form.search button[type="submit"]`),
		chromedp.WaitVisible(".search-result"))
	summary := browsertest.Get(t, tab, "result summary", chromedp.Text(".search-result"))
	if !strings.Contains(summary, "「電話番号」を含むよくあるお問い合わせ：1件") {
		t.Errorf("result summary = %q", summary)
	}
	if q := browsertest.Get(t, tab, "query kept", chromedp.Value("#faq-q")); q != "電話番号" {
		t.Errorf("search box holds %q", q)
	}
	hit := browsertest.Get(t, tab, "hit", chromedp.Text("#q16"))
	if !strings.Contains(hit, "未定の項目がある場合はどうしたらいいですか。") {
		t.Errorf("hit = %q", hit)
	}
	marked := browsertest.Get(t, tab, "highlight", chromedp.Text("#q16 mark"))
	if marked != "電話番号" {
		t.Errorf("highlighted %q", marked)
	}

	browsertest.Run(t, tab, "search without a hit",
		chromedp.SetValue("#faq-q", "<script>存在しない</script>"),
		chromedp.Click(`form.search button[type="submit"]`),
		chromedp.WaitVisible(".search-result__none"))
	if q := browsertest.Get(t, tab, "hostile query kept as text", chromedp.Value("#faq-q")); q != "<script>存在しない</script>" {
		t.Errorf("search box holds %q", q)
	}

	browsertest.Run(t, tab, "menu to catalog",
		chromedp.Click(`#menu a[href="/catalog"]`),
		chromedp.WaitVisible(".catalog"))
	catalog := browsertest.Get(t, tab, "catalog", chromedp.Text(".catalog"))
	for _, want := range []string{"富士通Japan株式会社", "Caora", "パナソニック コネクト株式会社", "株式会社アルメックス", "マイナタッチ",
		"キヤノンマーケティングジャパン株式会社", "アトラス情報サービス株式会社", "EXC-9000"} {
		if !strings.Contains(catalog, want) {
			t.Errorf("catalog lacks %q", want)
		}
	}
	href := browsertest.Get(t, tab, "apply link", chromedp.AttributeValue(`a.button--primary[href="/cardreader"]`, "href"))
	if href.Value != "/cardreader" {
		t.Errorf("apply link = %+v", href)
	}
}

// TestBrowserMobileMenu checks the phone layout: the menu folds behind 「メニュー」 once
// portal.js runs, opens on a tap, and leads on.
func TestBrowserMobileMenu(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	tab := browsertest.Tab(t, 60*time.Second)
	browsertest.Run(t, tab, "phone viewport",
		chromedp.EmulateViewport(375, 740),
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible(".site-nav__toggle"),
		chromedp.WaitNotVisible("#menu-list"))
	if v := browsertest.Get(t, tab, "collapsed", chromedp.AttributeValue(".site-nav__toggle", "aria-expanded")); v.Value != "false" {
		t.Errorf("aria-expanded = %+v", v)
	}
	browsertest.Run(t, tab, "open the menu",
		chromedp.Click(".site-nav__toggle"),
		chromedp.WaitVisible(`#menu-list a[href="/news"]`))
	if v := browsertest.Get(t, tab, "expanded", chromedp.AttributeValue(".site-nav__toggle", "aria-expanded")); v.Value != "true" {
		t.Errorf("aria-expanded = %+v", v)
	}
	browsertest.Run(t, tab, "follow a menu entry",
		chromedp.Click(`#menu-list a[href="/news"]`),
		chromedp.WaitVisible(".breadcrumb"))
	if h1 := browsertest.Get(t, tab, "news heading", chromedp.Text("h1")); h1 != "お知らせ" {
		t.Errorf("h1 = %q", h1)
	}
	// Nothing may stick out sideways on a phone.
	wide := browsertest.Get(t, tab, "horizontal overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if wide {
		t.Error("the page scrolls sideways at 375px")
	}
}

// TestBrowserPhoneWithoutJavaScript checks that a phone without JavaScript still gets the
// whole menu (no toggle that cannot work) and can search the FAQ.
func TestBrowserPhoneWithoutJavaScript(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	tab := browsertest.Tab(t, 60*time.Second)
	noScript := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	browsertest.Run(t, tab, "phone without scripts",
		chromedp.EmulateViewport(375, 740),
		noScript,
		chromedp.Navigate(env.URL+"/"),
		chromedp.WaitVisible(`#menu-list a[href="/faq"]`),
		chromedp.WaitNotVisible(".site-nav__toggle"),
		chromedp.Click(`#menu-list a[href="/faq"]`),
		chromedp.WaitVisible("#faq-q"),
		chromedp.SendKeys("#faq-q", "ＣＡＰＳ"),
		chromedp.Submit("#faq-q"),
		chromedp.WaitVisible(".search-result"))
	if hit := browsertest.Get(t, tab, "hit", chromedp.Text("#q10 mark")); hit != "Caps" {
		t.Errorf("highlighted %q, want Caps (full-width query folded)", hit)
	}
}
