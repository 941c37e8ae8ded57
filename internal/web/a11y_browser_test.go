package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"portal/internal/account"
	"portal/internal/browsertest"
	"portal/internal/cardreader"
	"portal/internal/content"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/webtest"
)

// The accessibility audits run axe-core (browsertest.Audit: WCAG 2.0-2.2 A/AA and axe's
// best practices) on every page a user can reach, each at a desktop and a phone width and
// in its error states. One tab per area keeps the browser's two slots free for others.

// a11yStep brings the tab to one page (or state of a page) to audit.
type a11yStep struct {
	name string
	do   []chromedp.Action[chromedp.Void]
}

// a11yOpen navigates to path and waits for the page's h1. A redirect elsewhere (to the
// login, say) fails the step rather than auditing another page.
func a11yOpen(env *webtest.Env, path string) a11yStep {
	pathname, _, _ := strings.Cut(path, "?")
	return a11yStep{path, []chromedp.Action[chromedp.Void]{chromedp.Navigate(env.URL + path), chromedp.WaitVisible(`main h1`),
		chromedp.Poll[chromedp.Void](fmt.Sprintf("location.pathname === %q", pathname), chromedp.WithPollingTimeout(5*time.Second))}}
}

// a11yLogin signs the tab in as the facility and waits until the signed-in header shows
// (waiting for an h1 would match the login page itself, and the next navigation would
// then cancel the sign-in still on its way).
func a11yLogin(t *testing.T, tab context.Context, env *webtest.Env, email string) {
	t.Helper()
	browsertest.Run(t, tab, "sign in as "+email,
		chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(`#email`),
		chromedp.SetValue(`#email`, email), chromedp.SetValue(`#password`, "Passw0rd123"),
		chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`form[action="/logout"]`))
}

// a11ySubmitEmpty sends the form of path as it comes and waits for the error banner.
func a11ySubmitEmpty(env *webtest.Env, path string) a11yStep {
	return a11yStep{path + " submitted empty", []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(env.URL + path), chromedp.WaitVisible(`main form`),
		chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}}
}

var a11yViewports = []struct {
	name  string
	phone bool
	do    chromedp.Action[chromedp.Void]
}{
	{"desktop 1280×900", false, chromedp.EmulateViewport(1280, 900)},
	{"phone 390×844", true, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)},
}

// a11yErrorsLinked lists fields marked invalid that are not described by their message
// beside them, and links of the error banner that lead to no field.
const a11yErrorsLinked = `(() => {
  const problems = [];
  document.querySelectorAll('[aria-invalid="true"]').forEach(e => {
    const ids = (e.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!ids.some(id => { const d = document.getElementById(id); return d && d.matches(".field-error, [role=status]") && d.textContent.trim() !== ""; }))
      problems.push(e.tagName.toLowerCase() + "#" + e.id + " is marked invalid without its message in aria-describedby");
  });
  document.querySelectorAll('#form-errors a[href^="#"]').forEach(a => {
    if (!document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))))
      problems.push("the banner's link " + a.getAttribute("href") + " leads to no field");
  });
  return problems;
})()`

type a11ySpacing struct {
	Wide    string   `json:"wide"`
	Clipped []string `json:"clipped"`
}

// a11yTextSpacing applies WCAG 1.4.12's spacing (a constructed style sheet: the page's CSP
// does not govern it), measures, and takes it off again.
const a11yTextSpacing = `(() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync("* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; } p { margin-bottom: 2em !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const wide = document.documentElement.scrollWidth > innerWidth ? document.documentElement.scrollWidth + " > " + innerWidth : "";
  const clipped = [...document.querySelectorAll("body *")].filter(e => {
    if (e.closest(".visually-hidden, .skip, [hidden]")) return false;
    const cs = getComputedStyle(e);
    return (cs.overflowX === "hidden" || cs.overflowY === "hidden" || cs.overflowX === "clip" || cs.overflowY === "clip") &&
      (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1);
  }).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).split(" ").join(".") : ""));
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(x => x !== sheet);
  return {wide: wide, clipped: clipped};
})()`

// a11yAudit runs the steps at each width and audits the page after each.
func a11yAudit(t *testing.T, tab context.Context, steps []a11yStep) {
	t.Helper()
	for _, vp := range a11yViewports {
		browsertest.Run(t, tab, vp.name, vp.do)
		for _, s := range steps {
			where := vp.name + " " + s.name
			// A step that cannot reach its page fails in 30 s, not at the tab's deadline.
			step, cancel := context.WithTimeout(tab, 30*time.Second)
			err := chromedp.Do(step, s.do...)
			cancel()
			if err != nil {
				u, _ := chromedp.Run(tab, chromedp.Location())
				h, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 300) : ""`))
				t.Fatalf("%s: %v; the tab shows %s:\n%s", where, err, u, h)
			}
			browsertest.Audit(t, tab, where)
			for _, p := range browsertest.Get(t, tab, where+": errors", chromedp.Evaluate[[]string](a11yErrorsLinked)) {
				t.Errorf("%s: %s", where, p)
			}
			if vp.phone {
				// Text spacing (WCAG 1.4.12): with wider lines, letters, words and paragraphs
				// nothing is cut off and nothing sticks out sideways.
				sp := browsertest.Get(t, tab, where+": text spacing", chromedp.Evaluate[a11ySpacing](a11yTextSpacing))
				if sp.Wide != "" || len(sp.Clipped) > 0 {
					t.Errorf("%s with WCAG text spacing: wider than the screen %q, cut off %v", where, sp.Wide, sp.Clipped)
				}
				// Reflow (WCAG 1.4.10): nothing scrolls sideways at this width nor at 320 CSS px.
				for _, narrow := range []bool{false, true} {
					if narrow {
						browsertest.Run(t, tab, where+" at 320 px", chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile))
					}
					if wide := browsertest.Get(t, tab, where+": width", chromedp.Evaluate[string](
						`document.documentElement.scrollWidth > window.innerWidth ? document.documentElement.scrollWidth + " > " + window.innerWidth : ""`)); wide != "" {
						t.Errorf("%s: the page scrolls sideways (%s px)", where, wide)
					}
				}
				browsertest.Run(t, tab, vp.name, vp.do)
			}
		}
	}
}

func TestBrowserA11yPublicPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	if err := content.SeedDemo(context.Background(), env.DB); err != nil {
		t.Fatal(err)
	}
	_, acc, _ := crFacility(t, env, "病院", 1, "1234567", false)
	tab := browsertest.Tab(t, 240*time.Second)

	browsertest.Run(t, tab, "downloads", chromedp.Navigate(env.URL+"/downloads"), chromedp.WaitVisible(`.documents a`))
	doc := browsertest.Get(t, tab, "first document", chromedp.Evaluate[string](`document.querySelector(".documents__title a").getAttribute("href")`))
	browsertest.Run(t, tab, "news", chromedp.Navigate(env.URL+"/news"), chromedp.WaitVisible(`main h1`))
	item := browsertest.Get(t, tab, "first news item", chromedp.Evaluate[string](`document.querySelector('main a[href^="/news/"]').getAttribute("href")`))

	steps := []a11yStep{
		a11yOpen(env, "/"), a11yOpen(env, "/flow"), a11yOpen(env, "/catalog"), a11yOpen(env, "/faq"),
		a11yOpen(env, "/faq?q=パスワード"), a11yOpen(env, "/faq?q=該当なしの語"), a11yOpen(env, "/downloads"),
		a11yOpen(env, doc), a11yOpen(env, "/news"), a11yOpen(env, item), a11yOpen(env, "/privacy"),
		a11yOpen(env, "/terms"), a11yOpen(env, "/postal/try"),
		{"/postal/try with a bad code", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/postal/try"), chromedp.WaitVisible(`#zip1`),
			chromedp.SendKeys(`#zip1`, "12"), chromedp.Click(`button[data-postal-lookup]`),
			chromedp.Poll[chromedp.Void](`(document.querySelector("[data-postal-status]") || {textContent: ""}).textContent.trim() !== ""`)}},
		a11yOpen(env, "/login"),
		{"/login after a failed sign-in", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/login"), chromedp.WaitVisible(`#email`),
			chromedp.SendKeys(`#email`, acc.Email), chromedp.SendKeys(`#password`, "wrong-password"),
			chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`#login-failure`)}},
		{"/login submitted empty", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/login"), chromedp.WaitVisible(`#email`),
			chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}},
		a11yOpen(env, "/register"),
		{"/register submitted empty", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/register"), chromedp.WaitVisible(`main form`),
			chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}},
		a11yOpen(env, "/password/forgot"),
		{"/password/forgot submitted empty", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/password/forgot"), chromedp.WaitVisible(`main form`),
			chromedp.Click(`main form button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}},
		a11yOpen(env, "/no-such-page"),
	}
	a11yAudit(t, tab, steps)
}

func TestBrowserA11yFacilityPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	f, acc, _ := crFacility(t, env, "病院", 1, "1234567", false)
	msg, err := account.SendMessage(context.Background(), env.DB, f.ID, 0, "アカウント登録案内文書", "本文です。\n二行目です。")
	if err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 240*time.Second)
	a11yLogin(t, tab, env, acc.Email)

	fill := func() []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/cardreader"), chromedp.WaitVisible(`#intro_year`),
			chromedp.SetValue(`#intro_year`, "2027"), chromedp.SetValue(`#intro_month`, "4"),
			chromedp.Click(`input[name=online_claim][value="` + cardreader.Introduced + `"]`),
			chromedp.Click(`input[name=emr][value="` + cardreader.Introduced + `"]`),
			chromedp.SetValue(`#model1`, fmt.Sprint(models[0].ID)), chromedp.SetValue(`#qty1`, "1"),
			chromedp.Click(`input[name=emr][value="` + cardreader.Introduced + `"]`),
		}
	}
	steps := []a11yStep{
		a11yOpen(env, "/mypage"), a11yOpen(env, fmt.Sprintf("/mypage/messages/%d", msg.ID)), a11yOpen(env, "/dev/mailbox"),
		a11yOpen(env, "/account/edit"),
		{"/account/edit submitted empty", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/account/edit"), chromedp.WaitVisible(`main form`),
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('main form input[type=text], main form input[type=email], main form input[type=tel]').forEach(i => i.value = "")`),
			chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}},
		{"/account/edit/confirm", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/account/edit"), chromedp.WaitVisible(`main form`),
			chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`form[action="/account/edit/confirm"]`)}},
		a11yOpen(env, "/account/email"), a11ySubmitEmpty(env, "/account/email"),
		{"/account/email/sent", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/account/email"), chromedp.WaitVisible(`#email_confirm`),
			chromedp.SetValue(`#email`, "new-address@example.jp"), chromedp.SetValue(`#email_confirm`, "new-address@example.jp"),
			chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(`main a[href="/mypage"].button--primary`)}},
		a11yOpen(env, "/account/password"), a11ySubmitEmpty(env, "/account/password"),
		a11yOpen(env, "/account/password/done"),
		a11yOpen(env, "/cardreader"),
		{"/cardreader submitted empty", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/cardreader"), chromedp.WaitVisible(`#intro_year`),
			// Emptied: once applied, the form comes filled with the application.
			chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('form[action="/cardreader"] input[type=text], form[action="/cardreader"] select').forEach(e => e.value = "");
				document.querySelectorAll('form[action="/cardreader"] input[type=radio]').forEach(e => e.checked = false)`),
			chromedp.Click(`form[action="/cardreader"] .form-actions button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}},
		{"/cardreader with a delivery change looked up", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/cardreader"), chromedp.WaitVisible(`#intro_year`),
			chromedp.Click(`#delivery_change`), chromedp.WaitVisible(`#delivery_zip1`),
			chromedp.SetValue(`#delivery_zip1`, "100"), chromedp.SetValue(`#delivery_zip2`, "0013"),
			chromedp.Click(`button[data-postal-lookup]`),
			chromedp.Poll[chromedp.Void](`document.getElementById("delivery_address").value !== ""`, chromedp.WithPollingTimeout(10*time.Second))}},
		{"/cardreader/confirm", append(fill(),
			chromedp.Click(`form[action="/cardreader"] .form-actions button[type=submit]`),
			chromedp.WaitVisible(`form[action="/cardreader/confirm"]`))},
		{"/cardreader/complete", []chromedp.Action[chromedp.Void]{
			chromedp.Click(`form[action="/cardreader/confirm"] button[type=submit]`), chromedp.WaitVisible(`.complete-box`)}},
		{"/mypage with an application", a11yOpen(env, "/mypage").do},
		{"/cardreader with an application", a11yOpen(env, "/cardreader").do},
		a11yOpen(env, "/cardreader/cancel"),
	}
	a11yAudit(t, tab, steps)
}

func TestBrowserA11yAdminPages(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	models := crCatalog(t, env)
	_, _, c := crFacility(t, env, "病院", 1, "1234567", false)
	crConfirm(t, c, crForm([2]int64{models[0].ID, 2}))
	// A second application with its delivery date set: the ship and correction pages.
	fs, _, c2 := crFacility(t, env, "診療所", 1, "1234568", false)
	crConfirm(t, c2, crForm([2]int64{models[0].ID, 1}))
	var scheduled int64
	if err := env.DB.QueryRow(context.Background(), `UPDATE cardreader_applications SET status = '配送予定日決定',
		delivery_date = current_date + 7 WHERE facility_id = $1 RETURNING id`, fs.ID).Scan(&scheduled); err != nil {
		t.Fatal(err)
	}
	op1 := adminCreateOperator(t, env, "operator1", "山田 担当", "Operator1234", operator.RoleOperator)
	adminCreateOperator(t, env, "supervisor1", "鈴木 監督", "Supervisor1234", operator.RoleSupervisor)
	fresh := env.CreateOperatorUnenrolled(t, "fresh1", "新人 一郎", "Fresh12345", operator.RoleOperator)
	tab := browsertest.Tab(t, 360*time.Second)

	// signedOutAt starts a step in a browser signed in as nobody, at path.
	signedOutAt := func(path string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
				return chromedp.Void{}, err
			},
			chromedp.Navigate(env.URL + path), chromedp.WaitVisible(`#login`)}
	}
	password := func(login, pw, wait string) []chromedp.Action[chromedp.Void] {
		return append(signedOutAt("/admin/login"), chromedp.SendKeys(`#login`, login), chromedp.SendKeys(`#password`, pw),
			chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(wait))
	}
	// unenrol makes fresh1 new again, so its enrolment runs at each width.
	unenrol := func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := env.DB.Exec(ctx, `UPDATE operators SET totp_secret = NULL, totp_enrolled_at = NULL WHERE id = $1`, fresh.ID)
		return chromedp.Void{}, err
	}
	firstCode := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		secret, err := chromedp.Text(`#totp-secret`)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		code, err := operator.CodeAt(strings.ReplaceAll(secret, " ", ""), time.Now())
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.SendKeys(`#code`, code)(ctx, tg)
	}
	signedOut := []a11yStep{
		{"/admin/login", append(signedOutAt("/admin/login"), chromedp.WaitVisible(`main h1`))},
		{"/admin/login after a failed sign-in", password("operator1", "not-it", `#form-errors`)},
		{"/admin/login/code", password("operator1", "Operator1234", `#code`)},
		{"/admin/login/code with a wrong code", append(password("operator1", "Operator1234", `#code`),
			chromedp.SendKeys(`#code`, "000000"), chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`#form-errors`))},
		{"/admin/login/enrol", append([]chromedp.Action[chromedp.Void]{unenrol}, password("fresh1", "Fresh12345", `#totp-secret`)...)},
		{"/admin/login/enrol with a wrong code", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(`#code`, "000000"), chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`#form-errors`)}},
		{"the recovery codes", []chromedp.Action[chromedp.Void]{firstCode, chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`.admin-recovery`)}},
	}
	a11yAudit(t, tab, signedOut)

	browsertest.Run(t, tab, "desktop", chromedp.EmulateViewport(1280, 900))
	browsertest.Run(t, tab, "signed out", signedOutAt("/admin/login")...)
	adminBrowserLogin(t, tab, env, "operator1", "Operator1234")
	browsertest.Run(t, tab, "list", chromedp.Navigate(env.URL+"/admin/cardreader"), chromedp.WaitVisible(`main table a`))
	app := browsertest.Get(t, tab, "first application", chromedp.Evaluate[string](`document.querySelector('main table a[href^="/admin/cardreader/"]').getAttribute("href")`))
	// A date typed into a date field shows its 和暦 beside it.
	browsertest.Run(t, tab, "和暦 beside the delivery date", chromedp.Navigate(env.URL+app), chromedp.WaitVisible(`#delivery_date`))
	wareki := browsertest.Get(t, tab, "和暦 of 2027-04-01", chromedp.Evaluate[string](`(() => {
		const d = document.querySelector('#delivery_date');
		d.value = '2027-04-01';
		d.dispatchEvent(new Event('input'));
		return d.nextElementSibling.textContent; })()`))
	if wareki != "（令和9年4月1日）" {
		t.Errorf("和暦 beside the delivery date: %q", wareki)
	}
	scheduledPage := fmt.Sprintf("/admin/cardreader/%d", scheduled)
	dateStep := func(days int, wait string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + app), chromedp.WaitVisible(`#delivery_date`),
			chromedp.SetValue(`#delivery_date`, jp.ISODate(jp.Today().AddDate(0, 0, days))),
			chromedp.Click(`main form .form-actions button[type=submit]`), chromedp.WaitVisible(wait)}
	}
	signedIn := []a11yStep{
		a11yOpen(env, "/admin"), a11yOpen(env, "/admin/cardreader"), a11yOpen(env, app),
		a11yOpen(env, "/admin/cardreader?q=1311234567&sort=delivery"),
		{"/admin/cardreader with an over-long search", a11yOpen(env, "/admin/cardreader?q="+strings.Repeat("長", 101)).do},
		{app + " with a past date", dateStep(-1, `#form-errors`)},
		{app + " delivery date confirmation", dateStep(5, `form[action$="/delivery-date"]`)},
		a11yOpen(env, scheduledPage), a11yOpen(env, scheduledPage+"/ship"),
		a11yOpen(env, "/admin/password"), a11ySubmitEmpty(env, "/admin/password"),
		{"/admin/audit refused to an operator", a11yOpen(env, "/admin/audit").do},
		{"/admin/operators refused to an operator", a11yOpen(env, "/admin/operators").do},
	}
	a11yAudit(t, tab, signedIn)

	browsertest.Run(t, tab, "desktop again", chromedp.EmulateViewport(1280, 900))
	browsertest.Run(t, tab, "sign out", chromedp.Navigate(env.URL+"/admin"), chromedp.WaitVisible(`nav.admin-nav`),
		chromedp.Click(`.admin-header__account button[type=submit]`), chromedp.WaitVisible(`#login`))
	adminBrowserLogin(t, tab, env, "supervisor1", "Supervisor1234")
	n := 0
	newLogin := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		n++
		return chromedp.SendKeys(`#login`, fmt.Sprintf("a11y%d", n))(ctx, tg)
	}
	opPage := fmt.Sprintf("/admin/operators/%d", op1.ID)
	a11yAudit(t, tab, []a11yStep{
		{"/admin as supervisor", a11yOpen(env, "/admin").do}, a11yOpen(env, "/admin/audit"),
		a11yOpen(env, "/admin/audit?operator=system&action=operator.signin&from=2026-01-01&to=2030-12-31"),
		{"/admin/audit with a wrong filter", a11yOpen(env, "/admin/audit?facility=12&from=2026-02-30").do},
		{app + " as supervisor", a11yOpen(env, app).do},
		a11yOpen(env, "/admin/operators"), a11yOpen(env, "/admin/operators/new"), a11ySubmitEmpty(env, "/admin/operators/new"),
		{"/admin/operators/new confirmed", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(env.URL + "/admin/operators/new"), chromedp.WaitVisible(`#login`), newLogin,
			chromedp.SendKeys(`#name`, "確認 三郎"), chromedp.Click(`main form .form-actions button.button--primary`),
			chromedp.WaitVisible(`form[action="/admin/operators/create"]`)}},
		{"the temporary password", []chromedp.Action[chromedp.Void]{
			chromedp.Click(`form[action="/admin/operators/create"] button.button--primary`), chromedp.WaitVisible(`#temporary-password`)}},
		a11yOpen(env, opPage), a11yOpen(env, opPage+"/disable"), a11yOpen(env, opPage+"/reset-factor"), a11yOpen(env, opPage+"/role"),
	})
}

// focusStop describes the element that has the keyboard focus.
type focusStop struct {
	Tag     string `json:"tag"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Href    string `json:"href"`
	Again   bool   `json:"again"`   // focused before on this page: the walk went round
	Ring    bool   `json:"ring"`    // an outline or a box-shadow shows where the focus is
	Shown   bool   `json:"shown"`   // it has a size and is not hidden
	InView  bool   `json:"inView"`  // it is inside the viewport
	Outline string `json:"outline"` // computed outline, for messages
}

const focusNow = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return {tag: "body"};
  window.__focusSeen = window.__focusSeen || new WeakSet();
  const again = window.__focusSeen.has(e);
  window.__focusSeen.add(e);
  const cs = getComputedStyle(e), r = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), id: e.id, href: e.getAttribute("href") || "",
    text: (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().slice(0, 40),
    again: again,
    ring: (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== "none",
    shown: r.width > 0 && r.height > 0 && cs.visibility !== "hidden",
    inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    outline: cs.outlineStyle + " " + cs.outlineWidth + " / " + cs.boxShadow};
})()`

// tabThrough presses Tab from the top of the page until the focus comes round again and
// checks every stop: shown, in view, with a visible focus indicator. It returns the stops.
func tabThrough(t *testing.T, tab context.Context, page string) []focusStop {
	t.Helper()
	var stops []focusStop
	for i := 0; i < 200; i++ {
		browsertest.Run(t, tab, page+": Tab", chromedp.KeyEvent(kb.Tab))
		s := browsertest.Get(t, tab, page+": focus", chromedp.Evaluate[focusStop](focusNow))
		if s.Tag == "body" || s.Again {
			return stops
		}
		if !s.Shown || !s.InView {
			t.Errorf("%s: Tab %d lands on %s#%s %q %s, which is not on screen", page, i+1, s.Tag, s.ID, s.Text, s.Href)
		}
		if !s.Ring {
			t.Errorf("%s: Tab %d: %s#%s %q %s shows no focus (%s)", page, i+1, s.Tag, s.ID, s.Text, s.Href, s.Outline)
		}
		stops = append(stops, s)
	}
	t.Errorf("%s: 200 Tabs without coming round", page)
	return stops
}

// pressEnter presses Enter as a keyboard does (puppeteer's way): one keyDown that carries
// the text "\r", then keyUp. chromedp's KeyEvent sends a separate char event after the
// keyDown, which reaches the element the keyDown moved the focus to: Enter on a link to a
// field then also submitted the field's form.
var pressEnter = chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter",
		Text: "\r", UnmodifiedText: "\r", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, down); err != nil {
		return err
	}
	up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13}
	_, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, up)
	return err
})

// TestBrowserKeyboard: the skip links come first and work, every focus stop shows the
// focus, and on a phone the menu opens, is walked and closes by keyboard.
func TestBrowserKeyboard(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	if err := content.SeedDemo(context.Background(), env.DB); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.Tab(t, 120*time.Second)
	// The page behaves as focused although another test's tab may be in front: key
	// presses and :focus-visible then work as they would for a person at the keyboard.
	browsertest.Run(t, tab, "focus emulation", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	}))
	focused := func(step string) focusStop {
		return browsertest.Get(t, tab, step, chromedp.Evaluate[focusStop](focusNow))
	}

	for _, vp := range a11yViewports {
		browsertest.Run(t, tab, vp.name, vp.do)
		for _, path := range []string{"/", "/faq", "/login", "/admin/login"} {
			where := vp.name + " " + path
			browsertest.Run(t, tab, where, chromedp.Navigate(env.URL+path), chromedp.WaitVisible(`main h1`))
			stops := tabThrough(t, tab, where)
			if len(stops) < 3 {
				t.Fatalf("%s: only %d focus stops: %+v", where, len(stops), stops)
			}
			t.Logf("%s: %d focus stops, first %q, last %q", where, len(stops), stops[0].Text, stops[len(stops)-1].Text)
			if path == "/admin/login" {
				if stops[0].Href != "#content" {
					t.Errorf("%s: first stop %+v, want the skip link to #content", where, stops[0])
				}
				continue
			}
			if stops[0].Href != "#menu" || stops[0].Text != "メニューにジャンプ" || stops[1].Href != "#content" || stops[1].Text != "コンテンツにジャンプ" {
				t.Errorf("%s: first stops %+v %+v, want the two skip links", where, stops[0], stops[1])
			}
		}
	}

	// A form sent with errors: the focus starts on the banner, Tab reaches its first link,
	// and Enter on that link puts the focus in the field.
	browsertest.Run(t, tab, "login sent empty", a11yViewports[0].do,
		chromedp.Navigate(env.URL+"/login"), chromedp.WaitVisible(`#email`),
		chromedp.Click(`form.form button[type=submit]`), chromedp.WaitVisible(`#form-errors`),
		chromedp.Poll[chromedp.Void](`document.activeElement && document.activeElement.id === "form-errors"`))
	if f := focused("banner focused"); !f.Ring {
		t.Errorf("the focused error banner shows no focus: %+v", f)
	}
	browsertest.Run(t, tab, "Tab to the banner's first link", chromedp.KeyEvent(kb.Tab))
	if f := focused("banner link"); f.Href != "#email" {
		t.Errorf("the Tab after the banner goes to %+v, want its link to #email", f)
	}
	browsertest.Run(t, tab, "Enter on it", pressEnter)
	if f := focused("field"); f.ID != "email" || !f.Ring {
		t.Errorf("the banner's link leaves the focus on %+v, want #email with a visible focus", f)
	}

	// Signed in: the long forms are walked too.
	_, acc, _ := crFacility(t, env, "病院", 1, "1234567", false)
	a11yLogin(t, tab, env, acc.Email)
	for _, vp := range a11yViewports {
		browsertest.Run(t, tab, vp.name, vp.do)
		for _, path := range []string{"/mypage", "/cardreader", "/account/edit"} {
			where := vp.name + " " + path
			browsertest.Run(t, tab, where, chromedp.Navigate(env.URL+path), chromedp.WaitVisible(`main h1`))
			if stops := tabThrough(t, tab, where); len(stops) < 10 {
				t.Errorf("%s: only %d focus stops", where, len(stops))
			}
		}
	}

	// コンテンツにジャンプ moves the focus to main, and the next Tab goes on from there.
	browsertest.Run(t, tab, "desktop again", a11yViewports[0].do,
		chromedp.Navigate(env.URL+"/faq"), chromedp.WaitVisible(`main h1`),
		chromedp.KeyEvent(kb.Tab+kb.Tab), pressEnter)
	if f := focused("after コンテンツにジャンプ"); f.ID != "content" {
		t.Errorf("コンテンツにジャンプ leaves the focus on %+v", f)
	}
	browsertest.Run(t, tab, "Tab into main", chromedp.KeyEvent(kb.Tab))
	if in := browsertest.Get(t, tab, "focus in main", chromedp.Evaluate[bool](`document.querySelector("main").contains(document.activeElement)`)); !in {
		t.Errorf("the Tab after コンテンツにジャンプ goes to %+v, outside main", focused("after Tab"))
	}

	// Phone: the menu is folded; the keyboard opens it, walks it and closes it.
	browsertest.Run(t, tab, "phone", a11yViewports[1].do,
		chromedp.Navigate(env.URL+"/"), chromedp.WaitVisible(`.site-nav__toggle`), chromedp.WaitNotVisible(`#menu-list`))
	var toggle bool
	for i := 0; i < 12 && !toggle; i++ {
		browsertest.Run(t, tab, "Tab to メニュー", chromedp.KeyEvent(kb.Tab))
		toggle = browsertest.Get(t, tab, "on the toggle", chromedp.Evaluate[bool](`document.activeElement.matches(".site-nav__toggle")`))
	}
	if !toggle {
		t.Fatal("Tab never reaches the メニュー button")
	}
	if f := focused("toggle focus"); !f.Ring || !f.InView {
		t.Errorf("メニュー button focus not visible: %+v", f)
	}
	browsertest.Run(t, tab, "Enter opens the menu", pressEnter, chromedp.WaitVisible(`#menu-list a[href="/news"]`))
	if v := browsertest.Get(t, tab, "expanded", chromedp.AttributeValue(`.site-nav__toggle`, "aria-expanded")); v.Value != "true" {
		t.Errorf("aria-expanded %+v after Enter", v)
	}
	browsertest.Run(t, tab, "Tab into the menu", chromedp.KeyEvent(kb.Tab))
	if f := focused("first menu entry"); f.Href != "/" || !f.Ring || !f.InView {
		t.Errorf("the Tab after opening the menu goes to %+v, want トップページ with a visible focus", f)
	}
	browsertest.Run(t, tab, "Escape closes it", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(`#menu-list`))
	if f := focused("back on the toggle"); f.Tag != "button" {
		t.Errorf("after Escape the focus is on %+v, want the メニュー button", f)
	}
	browsertest.Run(t, tab, "Space opens it again", chromedp.KeyEvent(" "), chromedp.WaitVisible(`#menu-list a[href="/faq"]`))
	browsertest.Audit(t, tab, "phone / with the menu open")

	// メニューにジャンプ on a phone opens the folded menu it jumps to.
	browsertest.Run(t, tab, "phone skip to menu",
		chromedp.Navigate(env.URL+"/flow"), chromedp.WaitVisible(`.site-nav__toggle`), chromedp.WaitNotVisible(`#menu-list`),
		chromedp.KeyEvent(kb.Tab), pressEnter, chromedp.WaitVisible(`#menu-list a[href="/faq"]`))
	browsertest.Run(t, tab, "Tab, Tab", chromedp.KeyEvent(kb.Tab+kb.Tab))
	if f := focused("after メニューにジャンプ"); f.Href != "/" {
		t.Errorf("two Tabs after メニューにジャンプ reach %+v, want the first menu entry", f)
	}
}
