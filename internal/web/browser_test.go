package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/webtest"
)

func TestBrowserTopPage(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	tab := browsertest.Tab(t, 30*time.Second)
	browsertest.Run(t, tab, "open top page", chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible("main#content"))
	title := browsertest.Get(t, tab, "title", chromedp.Title())
	if !strings.Contains(title, "医療機関等向けポータルサイト") {
		t.Errorf("title %q", title)
	}
	header := browsertest.Get(t, tab, "header", chromedp.Text("header.site-header"))
	if !strings.Contains(header, "オンライン資格確認・医療情報化支援基金関係") {
		t.Errorf("header %q", header)
	}
}
