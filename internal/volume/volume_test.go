package volume_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"portal/internal/auditlog"
	"portal/internal/cardreader"
	"portal/internal/demo"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/mail"
	"portal/internal/qualification"
	"portal/internal/session"
	"portal/internal/testdb"
	"portal/internal/volume"
	"portal/internal/webtest"
)

// TestFillSmallVolume fills a running portal's database at 1,000 facilities and uses the
// result through the portal itself: the counts are the scaled ones and every step's rows
// agree with each other (each application its history and receipt mail, each answer its
// mail, each broadcast its mails), accounts and operators sign in with the published
// password (and second factor), generated sessions are ones the portal reads, and the
// pages and queries that matter at volume answer.
func TestFillSmallVolume(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := webtest.NewWithCatcher(t)
	res, err := volume.Fill(ctx, env.DB, volume.Options{Facilities: 1000, Seed: 3, SessionSecret: env.Config.SessionSecret})
	if err != nil {
		t.Fatal(err)
	}
	n := volume.CountsFor(1000)
	if n.Accounts != 800 || n.Applications != 600 || n.Qualifications != 200 || n.Inquiries != 100 || n.AuditEntries != 4000 || n.Sessions != 1200 {
		t.Errorf("counts for 1,000 facilities: %+v", n)
	}
	rows := map[string]int64{}
	for _, r := range res.Rows {
		rows[r.Table] = r.Rows
		t.Logf("%-30s %8d", r.Table, r.Rows)
	}
	for table, want := range map[string]int64{"facilities": 1000, "accounts": int64(n.Accounts),
		"cardreader_applications": int64(n.Applications), "qualification_applications": int64(n.Qualifications),
		"inquiries": int64(n.Inquiries), "audit_log": int64(n.AuditEntries), "sessions": int64(n.Sessions),
		"account_tokens": int64(n.Tokens), "mail_catcher": 0} {
		if rows[table] != want {
			t.Errorf("%s: %d rows, want %d", table, rows[table], want)
		}
	}
	for _, table := range []string{"certificate_applications", "certificates", "application_events", "inquiry_messages",
		"inquiry_templates", "documents", "facility_messages", "broadcasts", "mail_outbox"} {
		if rows[table] == 0 {
			t.Errorf("%s: no rows", table)
		}
	}
	if docs := rows["documents"]; docs < int64(n.Documents) || docs > int64(n.Documents)+2 {
		t.Errorf("documents: %d, want %d to one facility and at most 2 to a set", docs, n.Documents)
	}

	// The mix of SPEC §8, scaled: 8,000 / 105,000 / 68,000 / 62,000 of 243,000.
	var hospitals, clinics, dental, pharmacies, chains int
	if err := env.DB.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = '病院'),
		count(*) FILTER (WHERE kind = '診療所' AND score_table_code = 1), count(*) FILTER (WHERE kind = '診療所' AND score_table_code = 3),
		count(*) FILTER (WHERE kind = '薬局'), count(*) FILTER (WHERE large_chain_pharmacy) FROM facilities`).Scan(
		&hospitals, &clinics, &dental, &pharmacies, &chains); err != nil {
		t.Fatal(err)
	}
	if hospitals != 32 || clinics != 432 || dental != 279 || pharmacies != 257 || chains == 0 || chains == pharmacies {
		t.Errorf("mix: %d 病院, %d 医科診療所, %d 歯科診療所, %d 薬局 (%d chains)", hospitals, clinics, dental, pharmacies, chains)
	}
	checkAgreement(t, env)

	// A facility with a card reader application signs in through the login form with the
	// known password and sees it on マイページ and in the form.
	var email, reference string
	if err := env.DB.QueryRow(ctx, `SELECT a.email, c.reference FROM accounts a
		JOIN cardreader_applications c ON c.account_id = a.id WHERE c.status = '受付済' ORDER BY a.id LIMIT 1`).Scan(&email, &reference); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(email, "@"+volume.EmailDomain) || len(strings.TrimSuffix(email, "@"+volume.EmailDomain)) != 10 {
		t.Errorf("login %q is not the 10-digit code at %s", email, volume.EmailDomain)
	}
	c := signIn(t, env, email)
	if r := c.Get("/mypage"); r.Status != 200 || !strings.Contains(r.Body, reference) {
		t.Errorf("マイページ: status %d, reference %s shown: %v", r.Status, reference, strings.Contains(r.Body, reference))
	}
	if r := c.Get("/cardreader"); r.Status != 200 || !strings.Contains(r.Body, reference) {
		t.Errorf("card reader form: status %d", r.Status)
	}

	// A facility whose 利用申請 is approved and whose certificates are issued sees both on
	// マイページ, and its certificates on their page.
	var qEmail, qRef, eRef, certName string
	if err := env.DB.QueryRow(ctx, `SELECT a.email, q.reference, e.reference, c.name FROM qualification_applications q
		JOIN accounts a ON a.id = q.account_id JOIN certificate_applications e ON e.facility_id = q.facility_id
		JOIN certificates c ON c.application_id = e.id
		WHERE q.status = $1 AND c.status = '発行済' ORDER BY e.created_at DESC, c.id LIMIT 1`, qualification.StatusApproved).
		Scan(&qEmail, &qRef, &eRef, &certName); err != nil {
		t.Fatal(err)
	}
	qc := signIn(t, env, qEmail)
	if r := qc.Get("/mypage"); r.Status != 200 || !strings.Contains(r.Body, qRef) || !strings.Contains(r.Body, certName) ||
		!strings.Contains(r.Body, "承認済") {
		t.Errorf("マイページ of %s: status %d, 利用申請 %s shown %v, certificate %s shown %v", qEmail, r.Status, qRef,
			strings.Contains(r.Body, qRef), certName, strings.Contains(r.Body, certName))
	}
	if r := qc.Get("/certificates"); r.Status != 200 || !strings.Contains(r.Body, eRef) || !strings.Contains(r.Body, certName) {
		t.Errorf("/certificates of %s: status %d, %s shown %v", qEmail, r.Status, eRef, strings.Contains(r.Body, eRef))
	}

	// Generated sessions are the portal's own: a facility's opens マイページ, an operator's the
	// back office's lists of every kind, with the generated rows in them.
	facilityToken, operatorToken, supervisorToken := sessions(t, env)
	fc := env.Client(t)
	fc.SetCookie("portal_session", facilityToken)
	if r := fc.Get("/mypage"); r.Status != 200 || !strings.Contains(r.Body, "マイページ") {
		t.Errorf("マイページ with a generated session: %d to %q", r.Status, r.Location)
	}
	oc := env.Client(t)
	oc.SetCookie("portal_session", operatorToken)
	var facilityName string
	if err := env.DB.QueryRow(ctx, `SELECT name FROM facilities WHERE kind = '病院' ORDER BY id LIMIT 1`).Scan(&facilityName); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/admin/cardreader": "CR", "/admin/qualification": "QA", "/admin/certificates": "EC",
		"/admin/inquiries": "IQ", "/admin/facilities?q=" + url.QueryEscape(facilityName): facilityName, "/admin/mails": "@" + volume.EmailDomain} {
		if r := oc.Get(path); r.Status != 200 || !strings.Contains(r.Body, want) {
			t.Errorf("%s with a generated operator session: %d to %q, %q shown: %v", path, r.Status, r.Location, want, strings.Contains(r.Body, want))
		}
	}
	sc := env.Client(t)
	sc.SetCookie("portal_session", supervisorToken)
	for _, path := range []string{"/admin/broadcasts", "/admin/documents", "/admin/audit"} {
		if r := sc.Get(path); r.Status != 200 {
			t.Errorf("%s with a generated supervisor session: %d to %q", path, r.Status, r.Location)
		}
	}
	// A volume operator signs in with the published password and second factor.
	if r := env.Client(t).AdminLogin("volume-op05", volume.Password); r.Status != 303 || r.Location != "/admin" {
		t.Errorf("volume-op05 sign-in: %d to %q", r.Status, r.Location)
	}

	// The back office's queries on the result.
	page, err := mail.List(ctx, env.DB, mail.ListQuery{Filter: mail.Filter{Status: mail.StatusFailed}})
	if err != nil || page.Count == 0 || len(page.Mails) == 0 {
		t.Errorf("failed mails: %d listed of %d, %v", len(page.Mails), page.Count, err)
	}
	entries, err := auditlog.List(ctx, env.DB, auditlog.Request{Filter: auditlog.Filter{Action: qualification.AuditApprove},
		Request: listing.Request{Limit: 50}})
	if err != nil || len(entries.Rows) == 0 || entries.Rows[0].FacilityID == 0 {
		t.Errorf("audit entries of 利用申請 approvals: %d, %v", len(entries.Rows), err)
	}
	var b strings.Builder
	if err := cardreader.Export(ctx, env.DB, &b, "富士通Japan株式会社", "", jp.UTF8BOM); err != nil || strings.Count(b.String(), "\n") < 10 {
		t.Errorf("export: %d lines, %v", strings.Count(b.String(), "\n"), err)
	}
}

// checkAgreement checks that the generated rows agree with each other as the portal's
// steps leave them: nothing an application, case or broadcast implies is missing.
func checkAgreement(t *testing.T, env *webtest.Env) {
	t.Helper()
	for name, query := range map[string]string{
		"card reader applications without their receipt mail": `SELECT (SELECT count(*) FROM cardreader_applications) -
			(SELECT count(*) FROM mail_outbox WHERE template = 'cardreader_applied')`,
		"利用申請 without their receipt mail": `SELECT (SELECT count(*) FROM qualification_applications) -
			(SELECT count(*) FROM mail_outbox WHERE template = 'qualification_applied')`,
		"電子証明書発行申請 without their receipt mail": `SELECT (SELECT count(*) FROM certificate_applications) -
			(SELECT count(*) FROM mail_outbox WHERE template = 'certificate_applied')`,
		"inquiry form cases without their receipt mail": `SELECT (SELECT count(*) FROM inquiries WHERE channel = 'form') -
			(SELECT count(*) FROM mail_outbox WHERE template = 'inquiry_received')`,
		"answers whose mail is not an answer mail": `SELECT count(*) FROM inquiry_messages m LEFT JOIN mail_outbox o ON o.id = m.mail_id
			WHERE m.mail_id IS NOT NULL AND o.template IS DISTINCT FROM 'inquiry_answered'`,
		"answer mails no answer names": `SELECT (SELECT count(*) FROM mail_outbox WHERE template = 'inquiry_answered') -
			(SELECT count(*) FROM inquiry_messages WHERE mail_id IS NOT NULL)`,
		"cases without their question": `SELECT count(*) FROM inquiries i WHERE NOT EXISTS
			(SELECT 1 FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.kind = 'question')`,
		"broadcast mails other than enqueued": `SELECT (SELECT sum(enqueued) FROM broadcasts) -
			(SELECT count(*) FROM mail_outbox WHERE broadcast_id IS NOT NULL)`,
		"document recipients other than their messages": `SELECT (SELECT sum(recipients) FROM documents) -
			(SELECT count(*) FROM facility_messages WHERE document_id IS NOT NULL)`,
		"card reader applications without their 申込 line": `SELECT count(*) FROM cardreader_applications a WHERE NOT EXISTS
			(SELECT 1 FROM application_events e WHERE e.kind = 'cardreader' AND e.application_id = a.id AND e.action = '申込'
			 AND e.reference = a.reference AND e.facility_id = a.facility_id)`,
		"shipped card readers without their 発送済 line": `SELECT count(*) FROM cardreader_applications a WHERE a.status = '発送済'
			AND NOT EXISTS (SELECT 1 FROM application_events e WHERE e.kind = 'cardreader' AND e.application_id = a.id AND e.action = '発送済')`,
		"利用申請 without their 申請 line": `SELECT count(*) FROM qualification_applications q WHERE NOT EXISTS
			(SELECT 1 FROM application_events e WHERE e.kind = 'qualification' AND e.application_id = q.id AND e.action = '申請')`,
		"approved 利用申請 without their approval in the audit trail": `SELECT count(*) FROM qualification_applications q
			WHERE q.status = '承認済' AND NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'qualification.approve'
			AND l.target_type = 'qualification_application' AND l.target_id = q.id)`,
		"certificates other than their 申請 lines": `SELECT (SELECT count(*) FROM certificates) -
			(SELECT count(*) FROM application_events WHERE kind = 'certificate' AND action = '申請')`,
		"certificates before their 利用申請's approval": `SELECT count(*) FROM certificate_applications e
			JOIN qualification_applications q ON q.facility_id = e.facility_id WHERE q.approved_at IS NULL OR q.approved_at > e.created_at`,
		"history lines in the future": `SELECT count(*) FROM application_events WHERE at > now()`,
		"facility sessions without their account beside them": `SELECT count(*) FROM sessions s
			WHERE s.account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id)`,
		"mails a running worker would deliver": `SELECT count(*) FROM mail_outbox
			WHERE status IN ('queued', 'sending') AND next_attempt_at < now() + interval '10 years'`,
		"old mails still holding their body": `SELECT count(*) FROM mail_outbox
			WHERE status IN ('sent', 'failed') AND created_at < now() - interval '91 days' AND body IS NOT NULL`,
		"recent mails without their body": `SELECT count(*) FROM mail_outbox WHERE created_at > now() - interval '89 days' AND body IS NULL`,
	} {
		var got int64
		if err := env.DB.QueryRow(context.Background(), query).Scan(&got); err != nil {
			t.Errorf("%s: %v", name, err)
		} else if got != 0 {
			t.Errorf("%s: %d", name, got)
		}
	}
}

// signIn signs a volume account in through the login form.
func signIn(t *testing.T, env *webtest.Env, email string) *webtest.Client {
	t.Helper()
	c := env.Client(t)
	c.Get("/login")
	if r := c.PostForm("/login", url.Values{"email": {email}, "password": {volume.Password}}); r.Status != 303 || r.Location != "/mypage" {
		t.Fatalf("sign-in as %s: %d to %q", email, r.Status, r.Location)
	}
	return c
}

// sessions finds a facility's, an operator's and a supervisor's generated session that
// are not idle.
func sessions(t *testing.T, env *webtest.Env) (facility, operator, supervisor string) {
	t.Helper()
	rows, err := env.DB.Query(context.Background(), `SELECT token, data FROM sessions WHERE expiry > now() + interval '1 hour'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	roles := map[int64]string{}
	r, err := env.DB.Query(context.Background(), `SELECT id, role FROM operators`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id int64
		var role string
		if err := r.Scan(&id, &role); err != nil {
			t.Fatal(err)
		}
		roles[id] = role
	}
	recent := time.Now().Add(-20 * time.Minute).Unix()
	for rows.Next() {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			t.Fatal(err)
		}
		_, values, err := session.Codec{}.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if seen, _ := values["seen_at"].(int64); seen < recent {
			continue
		}
		if _, ok := values["account_id"].(int64); ok && facility == "" {
			facility = token
		}
		if id, ok := values["operator_id"].(int64); ok {
			switch roles[id] {
			case "operator":
				if operator == "" {
					operator = token
				}
			case "supervisor":
				if supervisor == "" {
					supervisor = token
				}
			}
		}
	}
	if facility == "" || operator == "" || supervisor == "" {
		t.Fatalf("no recent generated sessions (facility %q, operator %q, supervisor %q)", facility, operator, supervisor)
	}
	return facility, operator, supervisor
}

// TestFillRefusesOtherData: a database with demo (or real) data is refused unless forced,
// a volume database is filled again without asking, and "portal seed-demo" adds nothing to
// it. The same seed gives the same rows.
func TestFillRefusesOtherData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	if _, err := demo.Seed(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	opt := volume.Options{Facilities: 200, Seed: 9, Now: now}
	if _, err := volume.Fill(ctx, db, opt); !errors.Is(err, volume.ErrNotVolume) {
		t.Fatalf("fill over demo data: %v, want ErrNotVolume", err)
	}
	var facilities int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM facilities`).Scan(&facilities); err != nil || facilities == 0 {
		t.Fatalf("the demo data was touched: %d facilities, %v", facilities, err)
	}
	opt.Force = true
	if _, err := volume.Fill(ctx, db, opt); err != nil {
		t.Fatal(err)
	}
	digest := func() string {
		var s string
		if err := db.QueryRow(ctx, `SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
			SELECT f.code || f.name || f.address || coalesce(a.email, '') || coalesce(c.reference, '') || coalesce(q.reference, '') AS x
			FROM facilities f LEFT JOIN accounts a ON a.facility_id = f.id LEFT JOIN cardreader_applications c ON c.facility_id = f.id
			LEFT JOIN qualification_applications q ON q.facility_id = f.id
			UNION ALL SELECT reference || status || category FROM inquiries
			UNION ALL SELECT template || to_addr || subject || coalesce(body, '') FROM mail_outbox) rows`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := digest()
	opt.Force = false
	if _, err := volume.Fill(ctx, db, opt); err != nil {
		t.Fatalf("refill of a volume database: %v", err)
	}
	if again := digest(); again != first {
		t.Errorf("the same seed gave other rows")
	}
	res, err := demo.Seed(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 0 {
		t.Errorf("seed-demo on a volume database applied %v", res.Applied)
	}
}
