package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/qualification"
	admindocument "portal/internal/web/admin/document"
	inquiryweb "portal/internal/web/inquiry"
	"portal/internal/webtest"
)

// This file proves the house rules route by route, for every route the router has:
// hostile input (invalid UTF-8, control characters, huge bodies, script tags, SQL) is
// refused or escaped, never a 5xx; visitors are sent to a login page; a facility never
// reaches the back office nor another facility's records; an operator needs the
// supervisor role for supervisor pages.

const (
	hostileScript = "<script>alert(1)</script>"
	hostileImg    = `"><img src=x onerror=alert(1)>`
	hostileSQL    = "' OR 1=1; DROP TABLE accounts; --"
)

// hostileRaw are what a page must never contain unescaped.
var hostileRaw = []string{"<script>alert(1)", "onerror=alert(1)>", `href="javascript:`, `src="javascript:`}

// hostileStored is what hostile records hold in every free-text column (PostgreSQL text
// cannot hold NUL or invalid UTF-8; they are tried on the way in).
const hostileStored = hostileScript + hostileImg + " " + hostileSQL + " \x1b[31m\u202e😀"

type hostilePayload struct{ name, value string }

// hostilePayloads are the classes of hostile value every route gets at least once.
var hostilePayloads = []hostilePayload{
	{"invalid UTF-8", "\xff\xfe\xc0\xaf"},
	{"control characters", "a\x00b\x01c\x1b[31m\x7f\r\nd\t\u202e\u200b\ufeff"},
	{"10,000 characters", strings.Repeat("x", 10000)},
	{"script tag", hostileScript},
	{"attribute breakout", hostileImg},
	{"SQL", hostileSQL},
	{"full-width and emoji", "ＡＢＣ１２３　テスト😀👨‍👩‍👧‍👦𠮷－＠"},
	{"negative number", "-1"},
	{"huge number", "99999999999999999999"},
	{"below int64", "-9223372036854775809"},
	{"float", "1e308"},
	{"empty", ""},
	{"max int64", "9223372036854775807"},
	{"int64 over 50", "184467440737095517"},
	{"int32 overflow", "2147483648"},
	{"impossible date", "2026-02-30"},
	{"far date", "99999-12-31"},
	{"protocol-relative URL", "//evil.example/"},
	{"tab in a path", "/\t/evil.example"},
}

// hostileSharp are the values each field of a form gets one by one, the rest of the form
// as the page filled it: numbers and dates past what the columns hold, and markup.
var hostileSharp = []string{"2147483648", "-2147483649", "9223372036854775807", "0", "2026-02-30", "0001-01-01",
	"１２", hostileScript}

// hostileBadParams replace a route's {param} or * besides a valid value.
var hostileBadParams = []string{"0", "-1", "99999999999999999999", "abc", "%00", "../", "..%2F", "%ff%fe",
	"%3Cscript%3Ealert(1)%3C%2Fscript%3E"}

// hostileQueryNames are the query parameters the handlers read (grep URL.Query), sent to
// every GET route on top of the page's own field names.
var hostileQueryNames = []string{"q", "page", "token", "next", "reset", "back", "code", "status", "maker", "pref",
	"kind", "sort", "encoding", "operator", "action", "facility", "from", "to", "after", "before", "last", "fragment",
	"template", "assignee", "category", "priority"}

// hostileExtraFields are fields no form has: they must be ignored.
var hostileExtraFields = []string{"facility_id", "account_id", "id", "role", "operator_id", "is_admin", "unknown_field"}

// hostileNotFields are name="..." attributes that are not form fields worth attacking.
var hostileNotFields = []string{"csrf_token", "csrf-token", "viewport", "robots", "description", "referrer",
	"theme-color", "format-detection"}

// hostileSupervisorOnly are the routes an operator must get 403 on.
var hostileSupervisorOnly = []string{"/admin/audit", "/admin/audit/export.csv", "/admin/operators", "/admin/operators/new",
	"/admin/operators/create", "/admin/operators/{id}", "/admin/operators/{id}/disable", "/admin/operators/{id}/enable",
	"/admin/operators/{id}/reset-password", "/admin/operators/{id}/reset-factor", "/admin/operators/{id}/role",
	"/admin/batches", "/admin/batches/master", "/admin/batches/letters",
	"/admin/batches/{id}", "/admin/batches/{id}/status", "/admin/batches/{id}/problems.csv", "/admin/batches/{id}/download",
	"/admin/news", "/admin/news/new", "/admin/news/{id}", "/admin/news/{id}/unpublish",
	"/admin/broadcasts", "/admin/broadcasts/new", "/admin/broadcasts/send", "/admin/broadcasts/{id}", "/admin/broadcasts/{id}/stop",
	"/admin/documents", "/admin/documents/new", "/admin/documents/{id}", "/admin/documents/{id}/file",
	"/admin/catalog", "/admin/catalog/new", "/admin/catalog/{id}", "/admin/catalog/{id}/move", "/admin/catalog/{id}/visibility",
	"/admin/inquiries/templates", "/admin/inquiries/templates/new", "/admin/inquiries/templates/{id}", "/admin/inquiries/templates/{id}/delete"}

// hostileUploadLimits are the routes whose body limit is raised for a file: the huge
// bodies sent to them are that much larger.
var hostileUploadLimits = map[string]int64{"/inquiry": inquiryweb.MaxBody, "/admin/documents/new": admindocument.MaxBody}

// hostilePublic says whether a visitor may use the route.
func hostilePublic(pattern string) bool {
	switch pattern {
	case "/", "/flow", "/catalog", "/faq", "/downloads", "/downloads/{slug}.txt", "/downloads/{slug}", "/news",
		"/news/{id}", "/privacy", "/terms", "/healthz", "/readyz", "/static/*", "/login", "/logout",
		"/admin/login", "/admin/", "/dev/mailbox", "/postal/lookup", "/postal/try",
		"/account/email/confirm", "/account/email/done", "/inquiry", "/inquiry/complete", "/news.atom":
		return true
	}
	return strings.HasPrefix(pattern, "/register") || strings.HasPrefix(pattern, "/password/")
}

const (
	roleVisitor     = "visitor"
	roleRegistrant  = "registrant" // a visitor half-way through registration by mail link
	roleResetting   = "resetting"  // a visitor who opened a password reset link
	roleDeveloper   = "developer"  // a visitor of a portal without SMTP: /dev/mailbox exists
	roleProvisional = "provisional"
	roleFacility    = "facility"
	roleOperator    = "operator"
	roleSupervisor  = "supervisor"
)

type hostileRoute struct{ method, pattern string }

// hostileWorld is one portal seeded with another facility's records, and a client in
// one role.
type hostileWorld struct {
	t    *testing.T
	env  *webtest.Env
	role string
	c    *webtest.Client

	otherFacility, otherAccount, otherMessage, otherApp, newsID int64
	// otherQualification and otherCertificate are the other facility's 利用申請 and certificate.
	otherQualification, otherCertificate int64
	// otherMail is a mail about the other facility; batchRun a finished master import.
	otherMail, batchRun int64
	// otherOperator is the operator a supervisor's steps act on (never the signed-in one).
	otherOperator int64
	ownAccount    int64
	// The conversation's records: the other facility's inquiry and document, a template,
	// a broadcast, a catalog product.
	otherInquiry, templateID, broadcastID, documentID, modelID int64
	// extraPages are pages no route pattern names (mailed links), fetched after the routes.
	extraPages []string
	// promoted is set once a provisional sign-in completed its forced edit: an account now.
	promoted bool
	// markers are strings only the other facility and the back office may see.
	markers []string
	// names are the field names seen on the pages of this role, by path; allNames all of them.
	names map[string][]string
	bases map[string]url.Values
	// queryNames are the field names of each GET page, sent back in its query string.
	queryNames map[string][]string
	// fills are valid values laid over bases (forms that start empty).
	fills    map[string]url.Values
	allNames []string
	failures int
	requests int
	// escaped counts the pages that showed a hostile script tag escaped: proof that the
	// check for unescaped ones looked at pages holding one.
	escaped int
	// statuses counts the answers to the form posts, for the log.
	statuses map[int]int
}

func newHostileWorld(t *testing.T, role string) *hostileWorld {
	t.Helper()
	ctx := context.Background()
	env := webtest.New(t)
	if role == roleDeveloper {
		env = webtest.NewWithCatcher(t)
	}
	w := &hostileWorld{t: t, env: env, role: role, names: map[string][]string{}, bases: map[string]url.Values{}, queryNames: map[string][]string{}, fills: map[string]url.Values{},
		statuses: map[int]int{}}
	models := crCatalog(t, env)
	sv := adminCreateOperator(t, env, "hostile-sv", "監督 一郎", "SuperPassw0rd1", operator.RoleSupervisor)
	otherOp := adminCreateOperator(t, env, "hostile-op", "操作 花子", "OperPassw0rd1", operator.RoleOperator)

	// The other facility: an account, an application and a message of its own.
	fB, accB, cB := crFacility(t, env, "診療所", 1, "3900002", false)
	crConfirm(t, cB, crForm([2]int64{models[0].ID, 1}))
	app, err := cardreader.ForFacility(ctx, env.DB, fB.ID)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := account.SendMessage(ctx, env.DB, fB.ID, sv.ID, "他施設あて通知ZQX", "他施設だけが読む本文")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.DB.QueryRow(ctx, `SELECT min(id) FROM news`).Scan(&w.newsID); err != nil {
		t.Fatal(err)
	}
	w.otherFacility, w.otherAccount, w.otherMessage, w.otherApp = fB.ID, accB.ID, msg.ID, app.ID
	w.otherQualification, w.otherCertificate = hostileQualificationAndCertificate(t, env, cB, sv)
	if err := env.DB.QueryRow(ctx, `SELECT min(id) FROM mail_outbox`).Scan(&w.otherMail); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.QueryRow(ctx, `INSERT INTO batch_runs (kind, state, started_by, file_name, finished_at)
		VALUES ('master_import', 'done', $1, $2, now()) RETURNING id`, sv.ID, "master"+hostileScript+".csv").Scan(&w.batchRun); err != nil {
		t.Fatal(err)
	}
	w.otherOperator = otherOp.ID
	if role == roleSupervisor {
		// A third operator for the supervisor's steps, so hostile-op's session is not the
		// one they end (and hostile-op cannot reach these pages anyway).
		w.otherOperator = adminCreateOperator(t, env, "hostile-target", "対象 次郎", "TargPassw0rd1", operator.RoleOperator).ID
	}
	w.markers = []string{accB.Email, app.Reference, msg.Title}
	w.conversation(sv.ID, fB, accB.Email, models[0].ID)
	// Stored hostile text everywhere a page shows stored text: whoever reads it must get it
	// escaped.
	if err := operator.Record(ctx, env.DB, sv.ID, "hostile"+hostileScript, "target"+hostileImg, app.ID,
		map[string]string{"detail": hostileStored}); err != nil {
		t.Fatal(err)
	}
	w.storeHostile(`UPDATE facilities SET name = name || $1, founder_name = $1, address = $1 WHERE id = $2`, fB.ID)
	w.storeHostile(`UPDATE accounts SET facility_name = $1, founder_name = $1, contact_name = $1 WHERE id = $2`, accB.ID)
	w.storeHostile(`UPDATE cardreader_applications SET delivery_change = true, delivery_postal = '1000013', delivery_pref = 13,
		delivery_phone = '03-1234-5678', delivery_address = $1, delivery_building = $1, delivery_name = $1, delivery_contact = $1 WHERE id = $2`, app.ID)
	w.storeHostile(`UPDATE application_events SET detail = $1 WHERE kind = 'cardreader' AND application_id = $2`, app.ID)
	w.storeHostile(`UPDATE facility_messages SET body = $1 WHERE id = $2`, msg.ID)
	w.storeHostile(`UPDATE certificates SET name = left($1, 50) WHERE id = $2`, w.otherCertificate)
	w.storeHostile(`UPDATE qualification_applications SET status = '差戻し', approved_at = NULL, returned_at = now(),
		return_reason = $1 WHERE id = $2`, w.otherQualification)
	w.storeHostile(`UPDATE news SET title = title || $1, body = body || E'\n' || $1 WHERE id = $2`, w.newsID)
	w.storeHostile(`UPDATE card_reader_models SET product = product || $1, size = $1, features = $1, cards = $1,
		notes = $1, maker_url = 'javascript:alert(1)' WHERE id = $2`, models[len(models)-1].ID)
	w.storeHostile(`UPDATE operators SET name = $1 WHERE id = $2`, sv.ID)

	switch role {
	case roleVisitor, roleDeveloper:
		w.c = env.Client(t)
		w.c.Get("/login")
	case roleRegistrant:
		w.c = env.Client(t)
		seedFacility(t, env, 13, 1, "1234567", "テスト診療所") // the master row validRegistration names
		link := startRegistration(t, env, w.c, "hostile-reg@example.jp")
		if res := w.c.Get(link); res.Status >= 400 {
			t.Fatalf("registration link: %d", res.Status)
		}
	case roleResetting:
		_, accC, _ := crFacility(t, env, "薬局", 4, "3900004", false)
		w.c = env.Client(t)
		w.c.Get("/password/forgot")
		if res := w.c.PostForm("/password/forgot", url.Values{"email": {accC.Email}}); res.Status != http.StatusSeeOther {
			t.Fatalf("password forgot: %d", res.Status)
		}
		link := strings.TrimPrefix(resetLink.FindString(env.WaitMail(t, accC.Email, "パスワード再設定用URLのご案内").Body), env.URL)
		if res := w.c.Get(link); res.Status != http.StatusSeeOther || res.Location != "/password/reset" {
			t.Fatalf("reset link: %d %s", res.Status, res.Location)
		}
	case roleProvisional:
		f := seedFacility(t, env, 13, 4, "3900003", "仮ログイン薬局")
		letter, err := account.IssueOne(ctx, env.DB, env.Config.SessionSecret, f.ID, account.KindLetter)
		if err != nil {
			t.Fatal(err)
		}
		w.c = env.Client(t)
		if res := login(w.c, letter.LoginID, letter.Password); res.Status != http.StatusSeeOther || res.Location != "/account/setup" {
			t.Fatalf("provisional login: %d %s", res.Status, res.Location)
		}
	case roleFacility:
		_, accA, c := crFacility(t, env, "病院", 1, "3900001", false)
		crConfirm(t, c, crForm([2]int64{models[1].ID, 1}))
		w.ownAccount = accA.ID
		// A pending address change: its confirm page (token in the link) is one more form.
		c.Get("/account/email")
		if res := c.PostForm("/account/email", url.Values{"email": {"hostile-new@example.jp"}, "email_confirm": {"hostile-new@example.jp"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("email change: %d", res.Status)
		}
		m := env.WaitMail(t, "hostile-new@example.jp", "メールアドレス変更確認用URLのご案内")
		w.extraPages = append(w.extraPages, strings.TrimPrefix(emailChangeLink.FindString(m.Body), env.URL))
		w.storeHostile(`UPDATE accounts SET contact_name = $1 WHERE id = $2`, accA.ID)
		w.storeHostile(`UPDATE cardreader_applications SET delivery_change = true, delivery_postal = '1000013', delivery_pref = 13,
			delivery_phone = '03-1234-5678', delivery_contact = '担当', delivery_name = $1, delivery_address = $1 WHERE account_id = $2`, accA.ID)
		w.c = c
	case roleOperator, roleSupervisor:
		w.c = env.Client(t)
		login, pw := "hostile-op", "OperPassw0rd1"
		if role == roleSupervisor {
			login, pw = "hostile-sv", "SuperPassw0rd1"
		}
		if res := adminLogin(w.c, login, pw); res.Status != http.StatusSeeOther {
			t.Fatalf("%s login: %d", role, res.Status)
		}
		// The CSV export of the maker of the other facility's application, in both encodings.
		for _, enc := range []string{string(jp.UTF8BOM), string(jp.CP932)} {
			w.extraPages = append(w.extraPages, "/admin/cardreader/export.csv?"+url.Values{"encoding": {enc}, "maker": {models[0].Maker}}.Encode())
		}
	}
	return w
}

// fillBase sets valid values over the defaults of the forms posting to paths, whichever
// page showed them last.
func (w *hostileWorld) fillBase(valid url.Values, paths ...string) {
	for _, p := range paths {
		if w.bases[p] == nil {
			w.t.Fatalf("%s: no form posts to %s", w.role, p)
		}
		w.fills[p] = valid
	}
}

func (w *hostileWorld) storeHostile(sql string, id int64) {
	w.t.Helper()
	tag, err := w.env.DB.Exec(context.Background(), sql, hostileStored, id)
	if err != nil || tag.RowsAffected() == 0 {
		w.t.Fatalf("%s: %v (%d rows)", sql, err, tag.RowsAffected())
	}
}

func (w *hostileWorld) backOffice() bool { return w.role == roleOperator || w.role == roleSupervisor }

func (w *hostileWorld) fail(format string, args ...any) {
	w.t.Helper()
	w.failures++
	if w.failures <= 60 {
		w.t.Errorf(format, args...)
	} else if w.failures == 61 {
		w.t.Error("more failures left out")
	}
}

func short(s string) string {
	if len(s) > 160 {
		return s[:160] + fmt.Sprintf("…(%d bytes)", len(s))
	}
	return s
}

// check applies the rules every response obeys.
func (w *hostileWorld) check(what string, res *webtest.Response) {
	w.t.Helper()
	w.requests++
	if res.Status >= 500 {
		w.fail("%s %s: status %d\n%s", w.role, what, res.Status, short(res.Body))
	}
	if ct := res.Header.Get("Content-Type"); ct == "" || strings.Contains(ct, "html") {
		if strings.Contains(res.Body, "&lt;script&gt;alert(1)") {
			w.escaped++
		}
		for _, raw := range hostileRaw {
			if i := strings.Index(res.Body, raw); i >= 0 {
				w.fail("%s %s: %q unescaped in the page: …%s…", w.role, what, raw, res.Body[max(0, i-200):i+len(raw)])
			}
		}
	}
	if loc := res.Location; loc != "" {
		loc = strings.TrimPrefix(loc, w.env.URL)
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") ||
			strings.ContainsFunc(loc, unicode.IsControl) {
			w.fail("%s %s: redirect off the site to %q", w.role, what, res.Location)
		}
	}
	// The development mailbox shows every caught mail by design; it exists only without SMTP.
	if !w.backOffice() && !strings.Contains(what, " /dev/mailbox") {
		for _, m := range w.markers {
			if strings.Contains(res.Body, m) || strings.Contains(res.Location, m) {
				w.fail("%s %s: the other facility's %q shown", w.role, what, m)
			}
		}
	}
}

// follow checks the page a redirect after a POST leads to, where stored input is shown.
func (w *hostileWorld) follow(what string, res *webtest.Response) {
	w.t.Helper()
	loc := strings.TrimPrefix(res.Location, w.env.URL)
	if res.Status/100 != 3 || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") {
		return
	}
	page := w.c.Get(loc)
	w.check(what+" → GET "+loc, page)
	if page.Status == http.StatusOK {
		w.harvest(strings.SplitN(loc, "?", 2)[0], page.Body)
	}
}

// expectAccess checks what the role may do on the route, with a valid parameter.
func (w *hostileWorld) expectAccess(pattern, what string, res *webtest.Response) {
	w.t.Helper()
	if w.promoted {
		return
	}
	admin := strings.HasPrefix(pattern, "/admin")
	adminOpen := pattern == "/admin/login" || pattern == "/admin/"
	provisionalPage := strings.HasPrefix(pattern, "/account/setup") && pattern != "/account/setup/complete"
	redirectTo := func(prefix string) {
		w.t.Helper()
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, prefix) {
			w.fail("%s %s: %d → %q, want 303 to %s", w.role, what, res.Status, res.Location, prefix)
		}
	}
	switch w.role {
	case roleVisitor, roleRegistrant, roleResetting, roleDeveloper:
		switch {
		case hostilePublic(pattern):
		case admin:
			redirectTo("/admin/login")
		default:
			redirectTo("/login")
		}
	case roleProvisional:
		switch {
		case hostilePublic(pattern) || provisionalPage:
		case admin:
			redirectTo("/admin/login")
		default:
			redirectTo("/account/setup")
		}
	case roleFacility:
		switch {
		case admin && !adminOpen:
			if res.Status == http.StatusOK {
				w.fail("%s %s: a facility got 200 in the back office", w.role, what)
			}
			redirectTo("/admin/login")
		case provisionalPage:
			redirectTo("/mypage")
		}
	case roleOperator, roleSupervisor:
		switch {
		case slices.Contains(hostileSupervisorOnly, pattern):
			if w.role == roleOperator && res.Status != http.StatusForbidden {
				w.fail("%s %s: %d, want 403 (supervisors only)", w.role, what, res.Status)
			}
			// A supervisor is let in: the page (200), or the step's own answer (a form
			// drawn again with its messages, a redirect to the account's page), never the
			// 403 page nor the way back to the login.
			if w.role == roleSupervisor && (res.Status == http.StatusForbidden || res.Status >= 500 ||
				res.Status == http.StatusSeeOther && strings.HasPrefix(res.Location, "/admin/login") ||
				strings.HasPrefix(what, "GET") && res.Status != http.StatusOK && !strings.HasPrefix(res.Location, "/admin/operators/")) {
				w.fail("%s %s: %d → %q, want the page or the step's answer", w.role, what, res.Status, res.Location)
			}
		case !admin && !hostilePublic(pattern):
			redirectTo("/login")
		case res.Status == http.StatusForbidden:
			w.fail("%s %s: 403; if the route is for supervisors only, list it in hostileSupervisorOnly", w.role, what)
		}
	}
}

// validParam is a real record for the route's parameter: another facility's wherever the
// record belongs to a facility.
func (w *hostileWorld) validParam(pattern string) string {
	switch {
	case strings.HasPrefix(pattern, "/mypage/messages/"):
		return fmt.Sprint(w.otherMessage)
	case strings.HasPrefix(pattern, "/admin/operators/"):
		return fmt.Sprint(w.otherOperator)
	case strings.HasPrefix(pattern, "/mypage/inquiries/"), strings.HasPrefix(pattern, "/admin/inquiries/templates/"):
		if strings.HasPrefix(pattern, "/admin/") {
			return fmt.Sprint(w.templateID)
		}
		return fmt.Sprint(w.otherInquiry)
	case strings.HasPrefix(pattern, "/admin/inquiries/"):
		return fmt.Sprint(w.otherInquiry)
	case strings.HasPrefix(pattern, "/admin/news/"):
		return fmt.Sprint(w.newsID)
	case strings.HasPrefix(pattern, "/admin/broadcasts/"):
		return fmt.Sprint(w.broadcastID)
	case strings.HasPrefix(pattern, "/admin/documents/"):
		return fmt.Sprint(w.documentID)
	case strings.HasPrefix(pattern, "/admin/catalog/"):
		return fmt.Sprint(w.modelID)
	case strings.HasPrefix(pattern, "/admin/cardreader/"):
		return fmt.Sprint(w.otherApp)
	case strings.HasPrefix(pattern, "/admin/qualification/"):
		return fmt.Sprint(w.otherQualification)
	case strings.HasPrefix(pattern, "/admin/certificates/"), strings.HasPrefix(pattern, "/certificates/"):
		return fmt.Sprint(w.otherCertificate)
	case strings.HasPrefix(pattern, "/admin/facilities/"):
		return fmt.Sprint(w.otherFacility)
	case strings.HasPrefix(pattern, "/admin/mails/"):
		return fmt.Sprint(w.otherMail)
	case strings.HasPrefix(pattern, "/admin/batches/"):
		return fmt.Sprint(w.batchRun)
	case strings.HasPrefix(pattern, "/news/"):
		return fmt.Sprint(w.newsID)
	case strings.HasPrefix(pattern, "/downloads/"):
		return "account-registration"
	case strings.HasPrefix(pattern, "/static/"):
		return "css/portal.css"
	}
	w.t.Errorf("%s: no valid value for its parameter; teach hostile_test.go's validParam one", pattern)
	return "1"
}

var routeParam = regexp.MustCompile(`\{[^}]+\}|\*$`)

// paths are the concrete paths of a route: the valid one first, then each bad parameter.
func (w *hostileWorld) paths(pattern string) []string {
	if !routeParam.MatchString(pattern) {
		return []string{pattern}
	}
	out := []string{routeParam.ReplaceAllLiteralString(pattern, w.validParam(pattern))}
	for _, bad := range hostileBadParams {
		out = append(out, routeParam.ReplaceAllLiteralString(pattern, bad))
	}
	return out
}

var (
	nameAttr    = regexp.MustCompile(`\bname="([^"]+)"`)
	inputTag    = regexp.MustCompile(`(?s)<input\b[^>]*>`)
	selectTag   = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	optionTag   = regexp.MustCompile(`(?s)<option\b([^>]*)>`)
	textareaTag = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	tagAttr     = regexp.MustCompile(`([a-zA-Z_:-]+)(?:="([^"]*)")?`)
	formBlock   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	formAction  = regexp.MustCompile(`\bformaction="([^"]*)"`)
	formErrors  = regexp.MustCompile(`id="[a-z_0-9]+-error"[^>]*>(?:<[^>]*>[^<]*)*?[^<]*。`)
)

// harvest keeps the field names and defaults of the page's POST forms under the path they
// post to (a button's formaction too), so a POST route is attacked with the fields of the
// form that really posts to it, wherever that form is.
func (w *hostileWorld) harvest(pagePath, body string) {
	fresh := map[string]url.Values{} // this page's forms replace what older pages showed (nonces)
	keep := func(action, inner string) {
		action = html.UnescapeString(action)
		if action == "" {
			action = pagePath
		}
		action, _, _ = strings.Cut(action, "?")
		for _, n := range fieldNames(inner) {
			if !slices.Contains(w.names[action], n) {
				w.names[action] = append(w.names[action], n)
			}
			if !slices.Contains(w.allNames, n) {
				w.allNames = append(w.allNames, n)
			}
		}
		if fresh[action] == nil {
			fresh[action] = url.Values{}
		}
		for k, vs := range formDefaults(inner) {
			if !fresh[action].Has(k) {
				fresh[action][k] = vs
			}
		}
	}
	defer func() {
		for action, v := range fresh {
			w.bases[action] = v
		}
	}()
	for _, m := range formBlock.FindAllStringSubmatch(body, -1) {
		a := attrs(m[1])
		if !strings.EqualFold(a["method"], "post") {
			continue
		}
		keep(a["action"], m[2])
		for _, fa := range formAction.FindAllStringSubmatch(m[2], -1) {
			keep(fa[1], m[2])
		}
	}
}

func attrs(tag string) map[string]string {
	out := map[string]string{}
	for _, m := range tagAttr.FindAllStringSubmatch(tag, -1) {
		out[strings.ToLower(m[1])] = html.UnescapeString(m[2])
	}
	return out
}

// formDefaults is what a browser would submit from the page's forms untouched: input
// values, checked boxes and radios (else a group's first), selected options (else the first).
func formDefaults(body string) url.Values {
	v := url.Values{}
	radios := map[string]string{}
	for _, tag := range inputTag.FindAllString(body, -1) {
		a := attrs(tag)
		name := a["name"]
		if name == "" || name == "csrf_token" {
			continue
		}
		_, checked := a["checked"]
		switch a["type"] {
		case "submit", "button", "image", "file", "reset":
		case "checkbox":
			if checked {
				v.Add(name, a["value"])
			}
		case "radio":
			if checked {
				v.Set(name, a["value"])
			} else if _, ok := radios[name]; !ok {
				radios[name] = a["value"]
			}
		default:
			v.Add(name, a["value"])
		}
	}
	for name, first := range radios {
		if !v.Has(name) {
			v.Set(name, first)
		}
	}
	for _, m := range selectTag.FindAllStringSubmatch(body, -1) {
		name := attrs(m[1])["name"]
		if name == "" {
			continue
		}
		chosen, first := "", ""
		for i, o := range optionTag.FindAllStringSubmatch(m[2], -1) {
			a := attrs(o[1])
			if i == 0 {
				first = a["value"]
			}
			if _, ok := a["selected"]; ok {
				chosen = a["value"]
			}
		}
		if chosen == "" {
			chosen = first
		}
		v.Set(name, chosen)
	}
	for _, m := range textareaTag.FindAllStringSubmatch(body, -1) {
		if name := attrs(m[1])["name"]; name != "" {
			v.Set(name, html.UnescapeString(m[2]))
		}
	}
	return v
}

func fieldNames(body string) []string {
	var out []string
	for _, m := range nameAttr.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(hostileNotFields, m[1]) && !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// getPhase fetches every GET route plainly, checks the role's access, and keeps the
// pages' field names and defaults for the POST phase.
func (w *hostileWorld) getPhase(routes []hostileRoute) {
	for _, r := range routes {
		if r.method != http.MethodGet {
			continue
		}
		for i, p := range w.paths(r.pattern) {
			res := w.c.Get(p)
			w.check("GET "+p, res)
			if i > 0 {
				continue
			}
			w.expectAccess(r.pattern, "GET "+p, res)
			if res.Status == http.StatusOK {
				w.harvest(p, res.Body)
				w.queryNames[p] = fieldNames(res.Body)
			}
		}
	}
	for _, p := range w.extraPages {
		res := w.c.Get(p)
		w.check("GET "+p, res)
		if res.Status != http.StatusOK {
			w.fail("%s GET %s: %d", w.role, p, res.Status)
		}
		w.harvest(strings.SplitN(p, "?", 2)[0], res.Body)
	}
	sort.Strings(w.allNames)
}

// queryPhase sends every payload class in the query string of every GET route.
func (w *hostileWorld) queryPhase(routes []hostileRoute) {
	for _, r := range routes {
		if r.method != http.MethodGet {
			continue
		}
		paths := w.paths(r.pattern)
		names := append(slices.Clone(hostileQueryNames), w.queryNames[paths[0]]...)
		for _, pl := range hostilePayloads {
			q := url.Values{}
			for _, n := range names {
				q.Set(n, pl.value)
			}
			res := w.c.Get(paths[0] + "?" + q.Encode())
			w.check("GET "+paths[0]+" query "+pl.name, res)
		}
		// Duplicated parameters, and a raw invalid byte in the query.
		res := w.c.Get(paths[0] + "?page=1&page=-1&q=" + url.QueryEscape(hostileScript) + "&q=%ff&token=a&token=%00")
		w.check("GET "+paths[0]+" duplicated query", res)
		if w.heavy() {
			// A query string of 1,000,000 characters: refused before any handler.
			res = w.c.Get(paths[0] + "?q=" + strings.Repeat("x", 1_000_000))
			w.check("GET "+paths[0]+" 1,000,000-character query", res)
		}
	}
}

// hostileForm sets every name to value.
func hostileForm(names []string, value string) url.Values {
	v := url.Values{}
	for _, n := range names {
		v.Set(n, value)
	}
	return v
}

// postPhase attacks every POST route with every payload class, and posts once to every
// route that has no POST (405, not a 500).
func (w *hostileWorld) postPhase(routes []hostileRoute) {
	for _, r := range routes {
		if r.method != http.MethodPost {
			if !slices.Contains(routes, hostileRoute{http.MethodPost, r.pattern}) {
				p := w.paths(r.pattern)[0]
				res := w.c.PostForm(p, hostileForm(w.postNames(p), hostileScript))
				w.check("POST (no such route) "+p, res)
				if res.Status != http.StatusMethodNotAllowed {
					w.fail("%s POST %s: %d, want 405", w.role, p, res.Status)
				}
			}
			continue
		}
		paths := w.paths(r.pattern)
		for i, p := range paths {
			if i > 0 {
				// Bad parameters: one payload class each, in turn.
				pl := hostilePayloads[i%len(hostilePayloads)]
				res := w.c.PostForm(p, hostileForm(w.postNames(paths[0]), pl.value))
				w.check("POST "+p+" "+pl.name, res)
				continue
			}
			w.postAll(r.pattern, p)
		}
	}
}

func (w *hostileWorld) postNames(path string) []string {
	names := w.names[path]
	if len(names) == 0 {
		names = w.allNames
	}
	out := slices.Clone(names)
	for _, n := range hostileExtraFields {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// heavy says whether this role sends the bodies of megabytes: the limit applies before any
// role matters, so three roles cover every route and keep the test quick.
func (w *hostileWorld) heavy() bool {
	return w.role == roleVisitor || w.role == roleFacility || w.role == roleSupervisor
}

// postHuge sends 1,000,000 characters (3 MB) and 2 MiB: 413 from the body limit. An
// upload form gets a body just over its own limit instead.
func (w *hostileWorld) postHuge(p, token, first string) {
	w.t.Helper()
	if limit, ok := hostileUploadLimits[p]; ok {
		res := w.c.PostRaw(p, "application/x-www-form-urlencoded", token+"&"+first+"="+strings.Repeat("x", int(limit)))
		w.check("POST "+p+" over its upload limit", res)
		if res.Status != http.StatusRequestEntityTooLarge {
			w.fail("%s POST %s over its upload limit: %d, want 413", w.role, p, res.Status)
		}
		return
	}
	res := w.c.PostRaw(p, "application/x-www-form-urlencoded", token+"&"+first+"="+strings.Repeat("あ", 1_000_000))
	w.check("POST "+p+" 1,000,000 characters", res)
	if res.Status != http.StatusRequestEntityTooLarge {
		w.fail("%s POST %s 1,000,000 characters: %d, want 413", w.role, p, res.Status)
	}
	res = w.c.PostRaw(p, "application/x-www-form-urlencoded", token+"&"+first+"="+strings.Repeat("x", 2<<20))
	w.check("POST "+p+" 2 MiB", res)
	if res.Status != http.StatusRequestEntityTooLarge {
		w.fail("%s POST %s 2 MiB: %d, want 413", w.role, p, res.Status)
	}
}

func (w *hostileWorld) postAll(pattern, p string) {
	names := w.postNames(p)
	first := names[0]
	reached := 0 // requests that got past the body limit and CSRF
	routeStatuses := map[int]int{}
	post := func(what string, v url.Values) *webtest.Response {
		res := w.c.PostForm(p, v)
		w.check("POST "+p+" "+what, res)
		w.follow("POST "+p+" "+what, res)
		w.statuses[res.Status]++
		if res.Location == "/account/setup/complete" {
			w.promoted = true
		}
		routeStatuses[res.Status]++
		if res.Status != http.StatusBadRequest && res.Status != http.StatusForbidden && res.Status != http.StatusRequestEntityTooLarge {
			reached++
		}
		return res
	}
	defer func() {
		if testing.Verbose() {
			w.t.Logf("%s POST %s: %v (defaults: %v)", w.role, p, routeStatuses, w.bases[p])
		}
		if reached == 0 && !slices.Contains(hostileSupervisorOnly, pattern) {
			w.fail("%s POST %s: no request got past CSRF, so nothing was tested", w.role, p)
		}
	}()
	for _, pl := range hostilePayloads {
		res := post(pl.name, hostileForm(names, pl.value))
		if pl.name == "script tag" {
			w.expectAccess(pattern, "POST "+p, res)
		}
	}
	var res *webtest.Response
	if w.heavy() {
		// 150,000 fields within the body limit.
		var many strings.Builder
		many.WriteString("csrf_token=" + url.QueryEscape(w.c.CSRF))
		for many.Len() < 900_000 {
			many.WriteString("&" + first + "=1")
		}
		res = w.c.PostRaw(p, "application/x-www-form-urlencoded", many.String())
		w.check("POST "+p+" 150,000 fields", res)
	}

	// Duplicated fields.
	dup := url.Values{}
	for _, n := range names {
		dup[n] = []string{hostileScript, hostileSQL, "1", hostileImg}
	}
	post("duplicated fields", dup)

	// The page's own values with one field hostile at a time, so each field's own check
	// and the pages after it (confirm pages) see the value.
	if base := w.bases[p]; len(base) > 0 {
		base = maps.Clone(base)
		for k, vs := range w.fills[p] {
			base[k] = vs
		}
		for i, n := range names {
			values := append([]string{hostilePayloads[i%len(hostilePayloads)].value}, hostileSharp...)
			for _, val := range values {
				v := url.Values{}
				for k, vs := range base {
					v[k] = slices.Clone(vs)
				}
				v.Set(n, val)
				post(fmt.Sprintf("defaults with %s=%.20q", n, val), v)
			}
		}
		// And untouched, then with the other facility's IDs added, then with every field at
		// once getting one class in turn.
		if res := post("defaults", base); testing.Verbose() && res.Status == http.StatusUnprocessableEntity {
			w.t.Logf("%s POST %s defaults refused: %s", w.role, p, strings.Join(formErrors.FindAllString(res.Body, -1), " "))
		}
		theirs := url.Values{}
		for k, vs := range base {
			theirs[k] = slices.Clone(vs)
		}
		for k, id := range map[string]int64{"facility_id": w.otherFacility, "account_id": w.otherAccount,
			"id": w.otherApp, "application_id": w.otherApp, "message_id": w.otherMessage, "certificate_id": w.otherCertificate} {
			theirs.Add(k, fmt.Sprint(id))
		}
		post("defaults with the other facility's IDs", theirs)
		mixed := url.Values{}
		for k, vs := range base {
			mixed[k] = slices.Clone(vs)
		}
		for i, n := range names {
			mixed.Set(n, hostilePayloads[(i+3)%len(hostilePayloads)].value)
		}
		post("every field hostile", mixed)
	}

	token := "csrf_token=" + url.QueryEscape(w.c.CSRF)
	// Raw bytes, not percent-encoded: invalid UTF-8, NUL, a script tag.
	var raw strings.Builder
	raw.WriteString(token)
	for _, n := range names {
		raw.WriteString("&" + url.QueryEscape(n) + "=\xff\xfe\x00" + hostileScript + "\xc0\xaf")
	}
	res = w.c.PostRaw(p, "application/x-www-form-urlencoded", raw.String())
	w.check("POST "+p+" raw invalid bytes", res)
	w.follow("POST "+p+" raw invalid bytes", res)

	if w.heavy() {
		w.postHuge(p, token, first)
	}

	// Multipart: fields, a file, and a body whose boundary is a lie.
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField("csrf_token", w.c.CSRF)
	for i, n := range names {
		_ = mw.WriteField(n, hostilePayloads[i%len(hostilePayloads)].value)
	}
	fw, _ := mw.CreateFormFile(first, "../../etc/passwd<script>.csv")
	_, _ = fw.Write([]byte(hostileScript + "\x00\xff"))
	_ = mw.Close()
	res = w.c.PostRaw(p, mw.FormDataContentType(), mp.String())
	w.check("POST "+p+" multipart", res)
	w.follow("POST "+p+" multipart", res)
	res = w.c.PostRaw(p, "multipart/form-data; boundary=nope", "--other\r\n"+hostileScript)
	w.check("POST "+p+" multipart with a wrong boundary", res)
	res = w.c.PostRaw(p, "multipart/form-data", token)
	w.check("POST "+p+" multipart without boundary", res)

	// Wrong content types: the body is not a form, so CSRF fails (403), nothing else.
	for _, ct := range []string{"text/plain", "application/json", "application/xml", "", "application/x-www-form-urlencoded; charset=shift_jis", "multipart/mixed; boundary=x", "a/b; c=\"d"} {
		body := token + "&" + first + "=" + url.QueryEscape(hostileScript)
		if strings.Contains(ct, "json") {
			body = `{"csrf_token":"` + w.c.CSRF + `","` + first + `":"<script>alert(1)</script>"}`
		}
		res := w.c.PostRaw(p, ct, body)
		w.check(fmt.Sprintf("POST %s Content-Type %q", p, ct), res)
	}
}

// tables lists the database's tables.
func (w *hostileWorld) tables() string {
	w.t.Helper()
	var s string
	err := w.env.DB.QueryRow(context.Background(), `SELECT string_agg(table_name, ',' ORDER BY table_name)
		FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&s)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// otherState is every row that belongs to the other facility: its master row, its account,
// and the rows of every table with a facility_id or account_id column.
func (w *hostileWorld) otherState() string {
	w.t.Helper()
	ctx := context.Background()
	rows, err := w.env.DB.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name IN ('facility_id', 'account_id')
		UNION ALL SELECT 'facilities', 'id' UNION ALL SELECT 'accounts', 'id' ORDER BY 1, 2`)
	if err != nil {
		w.t.Fatal(err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			w.t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	var out strings.Builder
	for _, c := range cols {
		id := w.otherAccount
		if c.column == "facility_id" || c.table == "facilities" {
			id = w.otherFacility
		}
		var s string
		q := fmt.Sprintf(`SELECT coalesce(string_agg(row_to_json(t)::text, E'\n' ORDER BY row_to_json(t)::text), '')
			FROM %s t WHERE %s = $1`, pgx.Identifier{c.table}.Sanitize(), pgx.Identifier{c.column}.Sanitize())
		if err := w.env.DB.QueryRow(ctx, q, id).Scan(&s); err != nil {
			w.t.Fatalf("%s: %v", c.table, err)
		}
		fmt.Fprintf(&out, "%s.%s:\n%s\n", c.table, c.column, s)
	}
	return out.String()
}

// signedIn says whether the role's client still is who it was.
func (w *hostileWorld) signedIn() bool {
	switch w.role {
	case roleFacility:
		return w.c.Get("/mypage").Status == http.StatusOK
	case roleProvisional:
		if w.promoted {
			return w.c.Get("/mypage").Status == http.StatusOK
		}
		return w.c.Get("/account/setup").Status == http.StatusOK
	case roleOperator, roleSupervisor:
		return w.c.Get("/admin").Status == http.StatusOK
	}
	return true
}

// walkRoutes lists every route of the router but the test-only probes, logouts last.
func walkRoutes(t *testing.T, env *webtest.Env) (routes, logouts []hostileRoute) {
	t.Helper()
	err := chi.Walk(env.Server.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		switch {
		case strings.HasPrefix(route, "/test/"): // probes of admin_export_test.go, absent from the binary
		case strings.HasSuffix(route, "/logout"):
			logouts = append(logouts, hostileRoute{method, route})
		default:
			routes = append(routes, hostileRoute{method, route})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(routes, func(i, j int) bool {
		if routes[i].pattern != routes[j].pattern {
			return routes[i].pattern < routes[j].pattern
		}
		return routes[i].method < routes[j].method
	})
	return routes, logouts
}

func TestHostileInputOnEveryRoute(t *testing.T) {
	t.Parallel()
	for _, role := range []string{roleVisitor, roleRegistrant, roleResetting, roleDeveloper, roleProvisional, roleFacility, roleOperator, roleSupervisor} {
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			w := newHostileWorld(t, role)
			routes, logouts := walkRoutes(t, w.env)
			if len(routes) < 40 {
				t.Fatalf("only %d routes walked", len(routes))
			}
			tables, other := w.tables(), w.otherState()

			w.getPhase(routes)
			if w.role == roleFacility {
				// Its own stored hostile text was shown; now plain values, so its forms
				// pass and lead on to their confirm pages.
				if _, err := w.env.DB.Exec(context.Background(), `UPDATE accounts SET contact_name = '山田花子' WHERE id = $1;`, w.ownAccount); err != nil {
					t.Fatal(err)
				}
				if _, err := w.env.DB.Exec(context.Background(), `UPDATE cardreader_applications SET delivery_change = false,
					delivery_name = '', delivery_address = '', delivery_postal = '', delivery_pref = NULL, delivery_building = '',
					delivery_phone = '', delivery_contact = '' WHERE account_id = $1`, w.ownAccount); err != nil {
					t.Fatal(err)
				}
				w.getPhase(routes)
			}
			// Forms that start empty get valid values, so hostile ones go one field at a time
			// through to the confirm and completion steps.
			switch w.role {
			case roleRegistrant:
				w.fillBase(validRegistration(), "/register/account", "/register/lookup")
			case roleProvisional:
				w.fillBase(setupForm("hostile-setup@example.jp", "Passw0rd123"), "/account/setup")
			case roleResetting:
				w.fillBase(url.Values{"password": {"NewPassw0rd9"}, "password_confirm": {"NewPassw0rd9"}}, "/password/reset")
			}
			w.postPhase(routes)
			w.queryPhase(routes)
			if !w.signedIn() {
				t.Errorf("%s: signed out by hostile input", role)
			}

			// The other facility's records: a facility reads none and changes none.
			if !w.backOffice() {
				for _, p := range []string{fmt.Sprintf("/mypage/messages/%d", w.otherMessage), fmt.Sprintf("/admin/cardreader/%d", w.otherApp),
					fmt.Sprintf("/certificates/%d/cancel", w.otherCertificate), fmt.Sprintf("/certificates/%d/revoke", w.otherCertificate),
					fmt.Sprintf("/admin/qualification/%d", w.otherQualification), fmt.Sprintf("/admin/certificates/%d", w.otherCertificate)} {
					if res := w.c.Get(p); res.Status == http.StatusOK {
						t.Errorf("%s read %s", role, p)
					}
				}
				if w.role == roleFacility {
					if res := w.c.Get(fmt.Sprintf("/mypage/messages/%d", w.otherMessage)); res.Status != http.StatusNotFound {
						t.Errorf("another facility's message: %d, want 404", res.Status)
					}
				}
				if after := w.otherState(); after != other {
					t.Errorf("%s changed the other facility's records:\nbefore:\n%s\nafter:\n%s", role, other, after)
				}
			}
			for _, r := range logouts {
				w.postPhase([]hostileRoute{r})
			}
			if after := w.tables(); after != tables {
				t.Errorf("tables changed:\nbefore %s\nafter  %s", tables, after)
			}
			var n int
			if err := w.env.DB.QueryRow(context.Background(), `SELECT count(*) FROM accounts`).Scan(&n); err != nil || n < 1 {
				t.Errorf("accounts: %d %v", n, err)
			}
			if w.escaped < 20 {
				t.Errorf("%s: only %d pages showed a hostile script tag (escaped); the attack did not reach the pages", role, w.escaped)
			}
			t.Logf("%s: %d routes, %d requests checked, %d pages with escaped script tags; form posts answered %v", role, len(routes)+len(logouts), w.requests, w.escaped, w.statuses)
		})
	}
}

// Regression: http.FileServer answered an invalid UTF-8 name with a 500, listed
// directories, and served any method.
func TestStaticFilesRefuseOddNames(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	for path, want := range map[string]int{
		"/static/css/portal.css": 200, "/static/%ff%fe": 404, "/static/css/%ff": 404, "/static/%00": 404,
		"/static/css/": 404, "/static/..%2F": 404, "/static/": 404, "/static/css": 404, "/static/css%5Cportal.css": 404,
	} {
		res := c.Get(path)
		if res.Status != want {
			t.Errorf("GET %s: %d, want %d", path, res.Status, want)
		}
		if want == 404 && res.Header.Get("Cache-Control") != "" {
			t.Errorf("GET %s: a 404 cached: %q", path, res.Header.Get("Cache-Control"))
		}
	}
	c.Get("/login")
	if res := c.PostForm("/static/css/portal.css", nil); res.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST a static file: %d, want 405", res.Status)
	}
	req, _ := http.NewRequest(http.MethodHead, env.URL+"/static/css/portal.css", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("HEAD a static file: %v %v", res, err)
	}
	res.Body.Close()
}

// keepLocation hides Location from http.Client, which refuses to parse one holding a tab
// (browsers drop the tab and follow), and keeps it as X-Raw-Location.
type keepLocation struct{}

func (keepLocation) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && res.Header.Get("Location") != "" {
		res.Header.Set("X-Raw-Location", res.Header.Get("Location"))
		res.Header.Del("Location")
	}
	return res, err
}

// rawLocation signs in on path (a fresh browser) and returns the redirect as sent.
func rawLocation(t *testing.T, env *webtest.Env, path string, form url.Values) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: keepLocation{}}
	res, err := hc.Get(env.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", path)
	}
	form.Set("csrf_token", string(m[1]))
	res, err = hc.PostForm(env.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("X-Raw-Location")
}

// rawAdminLocation signs in to the back office (a fresh browser): the password with form,
// then the code; it returns the code step's redirect as sent.
func rawAdminLocation(t *testing.T, env *webtest.Env, form url.Values) (int, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: keepLocation{}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	post := func(path string, form url.Values) (int, string) {
		t.Helper()
		res, err := hc.Get(env.URL + "/admin/login")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := rawCSRF.FindSubmatch(body)
		if m == nil {
			t.Fatal("no CSRF token on /admin/login")
		}
		form.Set("csrf_token", string(m[1]))
		if res, err = hc.PostForm(env.URL+path, form); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("X-Raw-Location")
	}
	if status, loc := post("/admin/login", form); status != http.StatusSeeOther || loc != "/admin/login/code" {
		return status, loc
	}
	return post("/admin/login/code", url.Values{"code": {env.OperatorCode(t, form.Get("login"))}})
}

// Regression: next="/\t/evil.example" passed safeNext, and browsers, dropping the tab,
// went to //evil.example after signing in.
func TestSignInNextWithControlCharactersStaysOnSite(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	f := seedFacility(t, env, 13, 1, "1234567", "テスト診療所")
	seedAccount(t, env, f, "clinic@example.jp", "Correct123")
	adminCreateOperator(t, env, "sv", "佐藤 一郎", "Supervisor1234", operator.RoleSupervisor)
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\t\\evil.example", "/\x00/evil.example", "/\u0085/evil.example"} {
		status, loc := rawLocation(t, env, "/login", url.Values{"email": {"clinic@example.jp"}, "password": {"Correct123"}, "next": {next}})
		if status != http.StatusSeeOther || loc != "/mypage" {
			t.Errorf("login next=%q: %d → %q, want /mypage", next, status, loc)
		}
		status, loc = rawAdminLocation(t, env, url.Values{"login": {"sv"}, "password": {"Supervisor1234"}, "next": {next}})
		if status != http.StatusSeeOther || loc != "/admin" {
			t.Errorf("admin login next=%q: %d → %q, want /admin", next, status, loc)
		}
	}
}

// rawBrowser is a browser whose every header a test may set.
type rawBrowser struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func newRawBrowser(t *testing.T, env *webtest.Env) *rawBrowser {
	jar, _ := cookiejar.New(nil)
	b := &rawBrowser{t: t, base: env.URL, hc: &http.Client{Jar: jar, Transport: keepLocation{}}}
	b.do(http.MethodGet, "/login", nil, "", nil)
	return b
}

var rawCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// do sends one request; header values replace the browser's own, a Cookie header is added
// to the jar's.
func (b *rawBrowser) do(method, path string, header map[string]string, contentType string, body *strings.Reader) (int, string, string) {
	b.t.Helper()
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequest(method, b.base+path, body)
	} else {
		req, err = http.NewRequest(method, b.base+path, nil)
	}
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if m := rawCSRF.FindSubmatch(raw); m != nil {
		b.csrf = string(m[1])
	}
	return res.StatusCode, res.Header.Get("X-Raw-Location"), string(raw)
}

// TestHostileHeaders sends every route hostile cookies, CSRF tokens, origins, hosts and
// headers, signed out and signed in: never a 5xx, never a cross-site state change.
func TestHostileHeaders(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	crCatalog(t, env)
	_, acc, _ := crFacility(t, env, "診療所", 1, "3900005", false)
	routes, _ := walkRoutes(t, env)
	w := &hostileWorld{t: t, env: env, newsID: 1, otherMessage: 1, otherApp: 1}

	hostileCookie := strings.Repeat("x", 4000) + hostileSQL
	headerSets := []map[string]string{
		{"Cookie": "portal_session=" + url.QueryEscape(hostileSQL)},
		{"Cookie": "portal_session=" + hostileCookie + "; portal_session=abc; portal_csrf=" + strings.Repeat("A", 43)},
		{"Cookie": "portal_csrf=%00%ff; portal_session=%ff%fe", "X-CSRF-Token": hostileScript},
		{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
		{"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
		{"Accept-Encoding": "gzip;q=x, *;q=-1, " + strings.Repeat("br,", 1000), "Accept-Language": hostileScript + strings.Repeat(",ja", 2000),
			"Referer": "javascript:alert(1)", "User-Agent": strings.Repeat("😀", 5000), "X-Request-Id": hostileScript},
		{"Range": "bytes=0-1,-1,999999999999999999999-", "If-Modified-Since": hostileSQL, "If-None-Match": hostileScript},
	}
	for _, signedIn := range []bool{false, true} {
		b := newRawBrowser(t, env)
		if signedIn {
			status, loc, _ := b.do(http.MethodPost, "/login", nil, "application/x-www-form-urlencoded",
				strings.NewReader(url.Values{"csrf_token": {b.csrf}, "email": {acc.Email}, "password": {"Passw0rd123"}}.Encode()))
			if status != http.StatusSeeOther || loc != "/mypage" {
				t.Fatalf("sign-in: %d %s", status, loc)
			}
		}
		for _, r := range routes {
			path := w.paths(r.pattern)[0]
			for i, h := range headerSets {
				var body *strings.Reader
				ct := ""
				if r.method == http.MethodPost {
					body = strings.NewReader(url.Values{"csrf_token": {b.csrf}, "x": {hostileScript}}.Encode())
					ct = "application/x-www-form-urlencoded"
				}
				status, loc, page := b.do(r.method, path, h, ct, body)
				what := fmt.Sprintf("signed in %v, %s %s, headers #%d", signedIn, r.method, path, i)
				if status >= 500 {
					t.Errorf("%s: %d\n%s", what, status, short(page))
				}
				for _, raw := range hostileRaw {
					if strings.Contains(page, raw) {
						t.Errorf("%s: %q unescaped", what, raw)
					}
				}
				if strings.Contains(loc, "evil.example") || strings.Contains(page, "evil.example") {
					t.Errorf("%s: the hostile host leaked into %q", what, loc)
				}
				if r.method == http.MethodPost && h["Origin"] != "" && status != http.StatusForbidden {
					t.Errorf("%s: cross-site POST got %d, want 403", what, status)
				}
			}
			if r.method == http.MethodGet {
				if status, _, _ := b.do(http.MethodHead, path, nil, "", nil); status >= 500 {
					t.Errorf("HEAD %s: %d", path, status)
				}
			}
		}
		if signedIn {
			if status, _, _ := b.do(http.MethodGet, "/mypage", nil, "", nil); status != http.StatusOK {
				t.Errorf("signed out by hostile headers: %d", status)
			}
		}
	}
	// A path of 100,000 characters and one of raw invalid bytes.
	b := newRawBrowser(t, env)
	for _, p := range []string{"/" + strings.Repeat("a", 100_000), "/news/" + strings.Repeat("%ff", 1000), "/%2e%2e/%2e%2e/etc/passwd"} {
		if status, _, _ := b.do(http.MethodGet, p, nil, "", nil); status >= 500 {
			t.Errorf("GET %.40s: %d", p, status)
		}
	}
}

// hostileQualificationAndCertificate gives the other facility (signed in as c) an approved
// 利用申請 and one certificate, and returns their ids.
func hostileQualificationAndCertificate(t *testing.T, env *webtest.Env, c *webtest.Client, sv operator.Operator) (int64, int64) {
	t.Helper()
	flowConfirm(t, c, "/qualification", qaForm())
	ctx := context.Background()
	var q, cert int64
	if err := env.DB.QueryRow(ctx, `SELECT id FROM qualification_applications ORDER BY id DESC LIMIT 1`).Scan(&q); err != nil {
		t.Fatal(err)
	}
	if err := qualification.NewService(env.DB, env.Config.BaseURL).Approve(ctx, sv, q); err != nil {
		t.Fatal(err)
	}
	flowConfirm(t, c, "/certificates/apply", url.Values{"purpose1": {"資格確認端末"}, "name1": {"他施設の端末"}})
	if err := env.DB.QueryRow(ctx, `SELECT id FROM certificates ORDER BY id DESC LIMIT 1`).Scan(&cert); err != nil {
		t.Fatal(err)
	}
	return q, cert
}
