package volume_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"portal/internal/cardreader"
	"portal/internal/demo"
	"portal/internal/mail"
	"portal/internal/operator"
	"portal/internal/testdb"
	"portal/internal/volume"
	"portal/internal/webtest"
)

// TestFillSmallVolume fills a running portal's database at 1,000 facilities and uses the
// result through the portal itself: the counts are the scaled ones, an account signs in
// with the known password, a generated session is one the portal reads, and the pages and
// queries that matter at volume answer.
func TestFillSmallVolume(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := webtest.NewWithCatcher(t)
	res, err := volume.Fill(ctx, env.DB, volume.Options{Facilities: 1000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	n := volume.CountsFor(1000)
	want := map[string]int64{"facilities": 1000, "accounts": int64(n.Accounts), "cardreader_applications": int64(n.Applications),
		"mail_outbox": int64(n.Mails), "audit_log": int64(n.AuditEntries), "sessions": int64(n.Sessions),
		"facility_messages": int64(n.Messages), "account_tokens": int64(n.Tokens), "mail_catcher": 0}
	for _, r := range res.Rows {
		if w, ok := want[r.Table]; ok && r.Rows != w {
			t.Errorf("%s: %d rows, want %d", r.Table, r.Rows, w)
		}
	}
	if n.Accounts != 800 || n.Applications != 600 || n.Mails != 2000 || n.AuditEntries != 4000 || n.Sessions != 1200 {
		t.Errorf("counts for 1,000 facilities: %+v", n)
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
	var due int
	if err := env.DB.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE status = 'pending' AND next_attempt_at < now() + interval '10 years'`).Scan(&due); err != nil {
		t.Fatal(err)
	}
	if due != 0 {
		t.Errorf("%d volume mails would be delivered by a running worker", due)
	}

	// An account with an application signs in through the login form with the known
	// password and sees its application on マイページ and in the form.
	var email, reference, facilityName string
	if err := env.DB.QueryRow(ctx, `SELECT a.email, c.reference, f.name FROM accounts a
		JOIN cardreader_applications c ON c.account_id = a.id JOIN facilities f ON f.id = a.facility_id
		WHERE c.status = '受付済' ORDER BY a.id LIMIT 1`).Scan(&email, &reference, &facilityName); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(email, "@"+volume.EmailDomain) || len(strings.TrimSuffix(email, "@"+volume.EmailDomain)) != 10 {
		t.Errorf("login %q is not the 10-digit code at %s", email, volume.EmailDomain)
	}
	c := env.Client(t)
	c.Get("/login")
	if r := c.PostForm("/login", url.Values{"email": {email}, "password": {volume.Password}}); r.Status != 303 || r.Location != "/mypage" {
		t.Fatalf("sign-in as %s: %d to %q", email, r.Status, r.Location)
	}
	if r := c.Get("/mypage"); r.Status != 200 || !strings.Contains(r.Body, reference) {
		t.Errorf("マイページ: status %d, reference %s shown: %v", r.Status, reference, strings.Contains(r.Body, reference))
	}
	if r := c.Get("/cardreader"); r.Status != 200 || !strings.Contains(r.Body, reference) {
		t.Errorf("card reader form: status %d", r.Status)
	}

	// Generated sessions are the portal's own: a facility's and an operator's open their pages.
	facilityToken, operatorToken := sessions(t, env)
	fc := env.Client(t)
	fc.SetCookie("portal_session", facilityToken)
	if r := fc.Get("/mypage"); r.Status != 200 || !strings.Contains(r.Body, "マイページ") {
		t.Errorf("マイページ with a generated session: %d to %q", r.Status, r.Location)
	}
	oc := env.Client(t)
	oc.SetCookie("portal_session", operatorToken)
	if r := oc.Get("/admin/cardreader"); r.Status != 200 || !strings.Contains(r.Body, "CR") {
		t.Errorf("/admin/cardreader with a generated operator session: %d to %q", r.Status, r.Location)
	}

	// The back office's queries on the result.
	list, total, err := mail.ListOutbox(ctx, env.DB, mail.StatusFailed, 50, 0)
	if err != nil || total == 0 || len(list) == 0 {
		t.Errorf("failed mails: %d listed of %d, %v", len(list), total, err)
	}
	entries, err := operator.AuditEntries(ctx, env.DB, operator.AuditQuery{TargetType: "cardreader_application"})
	if err != nil || len(entries) == 0 {
		t.Errorf("audit entries of applications: %d, %v", len(entries), err)
	}
	var b strings.Builder
	if err := cardreader.Export(ctx, env.DB, &b, "富士通Japan株式会社", "", cardreader.EncodingUTF8); err != nil || strings.Count(b.String(), "\n") < 10 {
		t.Errorf("export: %d lines, %v", strings.Count(b.String(), "\n"), err)
	}
}

// sessions finds a facility's and an operator's generated session that are not idle.
func sessions(t *testing.T, env *webtest.Env) (facility, operator string) {
	t.Helper()
	rows, err := env.DB.Query(context.Background(), `SELECT token, data FROM sessions WHERE expiry > now() + interval '1 hour'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	recent := time.Now().Add(-20 * time.Minute).Unix()
	for rows.Next() && (facility == "" || operator == "") {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			t.Fatal(err)
		}
		_, values, err := scs.GobCodec{}.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if seen, _ := values["seen_at"].(int64); seen < recent {
			continue
		}
		if _, ok := values["account_id"].(int64); ok && facility == "" {
			facility = token
		}
		if _, ok := values["operator_id"].(int64); ok && operator == "" {
			operator = token
		}
	}
	if facility == "" || operator == "" {
		t.Fatalf("no recent generated sessions (facility %q, operator %q)", facility, operator)
	}
	return facility, operator
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
		if err := db.QueryRow(ctx, `SELECT md5(string_agg(f.code || f.name || f.address || coalesce(a.email, '') || coalesce(c.reference, ''), ',' ORDER BY f.id))
			FROM facilities f LEFT JOIN accounts a ON a.facility_id = f.id LEFT JOIN cardreader_applications c ON c.facility_id = f.id`).Scan(&s); err != nil {
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
