package browsertest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) { Main(m) }

// badPage breaks several rules on purpose, under a CSP as strict as the portal's.
const badPage = `<!doctype html><html><head><title>bad</title></head><body>
<main><h1>Bad page</h1>
<img src="/x.png">
<p style="color:#bbb;background:#fff">faint text</p>
<input type="text" name="q">
<a href="/x"></a>
<div id="dup">a</div><div id="dup">b</div>
</main></body></html>`

// TestAuditFindsViolationsUnderStrictCSP: axe runs on a page whose CSP refuses scripts the
// page adds itself, and reports the planted violations.
func TestAuditFindsViolationsUnderStrictCSP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(badPage))
	}))
	defer srv.Close()
	tab := Tab(t, 60*time.Second)
	Run(t, tab, "open", chromedp.Navigate(srv.URL))

	// The CSP is in force: an inline script the page adds does not run.
	injected := Get(t, tab, "inline script", chromedp.Evaluate[bool](`(() => {
		const s = document.createElement("script"); s.textContent = "window.inlineRan = true";
		document.body.appendChild(s); return window.inlineRan === true; })()`))
	if injected {
		t.Fatal("the test page's CSP does not block inline scripts; the check below proves nothing")
	}

	rep, err := runAxe(tab)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range rep.Violations {
		ids = append(ids, v.ID+":"+v.Impact)
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 {
			t.Errorf("%s without a target: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"image-alt:critical", "label:critical", "link-name:serious", "color-contrast:serious"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %s; got %v", want, ids)
		}
	}
	// A second run on the same document reuses the injected axe.
	if _, err := runAxe(tab); err != nil {
		t.Fatal(err)
	}
}
