package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portal/internal/browsertest"
	"portal/internal/webtest"
)

// TestBrowserA11yRegistrationPages runs axe-core on new registration and password reset,
// the forms in their error states included, at a desktop and a phone width.
func TestBrowserA11yRegistrationPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	c := env.Client(t)
	link := startRegistration(t, env, c, "a11y@example.jp")
	tab := browsertest.Tab(t, 240*time.Second)

	type step struct {
		name string
		do   []chromedp.Action[chromedp.Void]
	}
	open := func(path string) step {
		return step{path, []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + path), chromedp.WaitVisible(`main h1`)}}
	}
	submitEmpty := func(path string) step {
		return step{path + " with errors", []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + path), chromedp.WaitVisible(`main form`),
			chromedp.Click(`main form .form-actions button`), chromedp.WaitVisible(`#form-errors`)}}
	}
	steps := []step{
		open("/register"), submitEmpty("/register"),
		{"/register/sent", []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + "/register"), chromedp.WaitVisible(`main form`),
			chromedp.SendKeys(`#email`, "someone@example.jp"), chromedp.Click(`main form .form-actions button`), chromedp.WaitVisible(`#notice`)}},
		open(link), submitEmpty(link),
		{"/register/confirm", []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + link), chromedp.WaitVisible(`main form`),
			chromedp.SetValue(`#prefecture`, "13"), chromedp.SetValue(`#score_table`, "1"), chromedp.SetValue(`#facility_code`, "1234567"),
			chromedp.Click(`#lookup`), chromedp.WaitVisible(`#lookup-notice`),
			chromedp.SetValue(`#contact_name`, "山田"), chromedp.SendKeys(`#password`, "Passw0rd"), chromedp.SendKeys(`#password_confirm`, "Passw0rd"),
			chromedp.Click(`main form .form-actions button`), chromedp.WaitVisible(`form[action="/register/confirm"]`)}},
		open("/password/forgot"), submitEmpty("/password/forgot"),
		open("/password/reset/verify?token=unknown"), open("/password/reset/done"),
	}
	for _, vp := range []struct {
		name string
		do   chromedp.Action[chromedp.Void]
	}{
		{"desktop", chromedp.EmulateViewport(1280, 900)},
		{"phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)},
	} {
		browsertest.Run(t, tab, vp.name, vp.do)
		for _, s := range steps {
			where := vp.name + " " + s.name
			browsertest.Run(t, tab, where, s.do...)
			browsertest.Audit(t, tab, where)
		}
	}
}
