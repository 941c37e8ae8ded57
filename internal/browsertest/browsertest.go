// Package browsertest drives Debian's chromium from Go tests (chromedp) against a real
// portal server on loopback, backed by a test's own database.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var (
	mu          sync.Mutex
	browserCtx  context.Context
	stopBrowser func()
)

// Main runs the package's tests and then closes the shared browser; call it from TestMain.
func Main(m interface{ Run() int }) {
	code := m.Run()
	mu.Lock()
	if stopBrowser != nil {
		stopBrowser()
	}
	mu.Unlock()
	os.Exit(code)
}

// chromiumPath finds the browser: $CHROMIUM, Debian's chromium, or chrome on PATH.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func browser(t testing.TB) context.Context {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if browserCtx != nil {
		return browserCtx
	}
	path := chromiumPath()
	if path == "" {
		t.Fatal("browsertest: chromium is not installed (make test installs it: apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "ja-JP"),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("browsertest: start chromium: %v", err)
	}
	browserCtx = ctx
	stopBrowser = func() { cancelBrowser(); cancelAlloc() }
	return browserCtx
}

// Tab opens a new tab of the shared browser, in its own browser context (own cookies), for
// one test, closed when the test ends.
// Every action on it is bounded by timeout.
func Tab(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	acquireSlot(t)
	// A browser context of its own per tab: cookies are per host, not per port, so tabs of
	// parallel tests sharing one context would overwrite each other's session cookies.
	tab, cancelTab := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	ctx, cancel := context.WithTimeout(tab, timeout)
	t.Cleanup(func() { cancel(); cancelTab() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: open tab: %v", err)
	}
	return ctx
}

// tabSlots bounds how many tests drive the browser at once: on a 2-core machine a dozen
// parallel page loads (each with argon2id sign-ins behind it) starve one another into
// time-outs. A test waits for a slot before its time-out starts.
var (
	tabSlots = make(chan struct{}, 2)
	holders  = map[testing.TB]bool{}
)

// acquireSlot takes one slot per test, however many tabs it opens, until the test ends.
func acquireSlot(t testing.TB) {
	mu.Lock()
	held := holders[t]
	mu.Unlock()
	if held {
		return
	}
	tabSlots <- struct{}{}
	mu.Lock()
	holders[t] = true
	mu.Unlock()
	t.Cleanup(func() {
		mu.Lock()
		delete(holders, t)
		mu.Unlock()
		<-tabSlots
	})
}

// Get runs one action that returns a value, failing the test on error.
func Get[T any](t testing.TB, ctx context.Context, step string, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// Run runs actions on the tab and fails the test on the first error, naming step.
func Run(t testing.TB, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(60))
		if len(shot) > 0 {
			f, ferr := os.CreateTemp("", "browsertest-*.png")
			if ferr == nil {
				_, _ = f.Write(shot)
				f.Close()
				t.Logf("screenshot of the failure: %s", f.Name())
			}
		}
		t.Fatalf("%s: %v", step, err)
	}
}
