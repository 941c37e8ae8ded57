package web_test

import (
	"context"
	"strings"
	"testing"

	"portal/internal/operator"
	"portal/internal/webtest"
)

func TestAdminAuditPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := webtest.New(t)
	a := adminFacilityAccount(t, env)
	sv := adminCreateOperator(t, env, "sv", "監督 花子", "Supervisor1234", operator.RoleSupervisor)
	op := adminCreateOperator(t, env, "op", "操作 太郎", "Operator1234", operator.RoleOperator)
	// 130 entries about the facility's account, older than the sign-ins to come.
	if _, err := env.DB.Exec(ctx, `INSERT INTO audit_log (at, operator_id, action, target_type, target_id, detail)
		SELECT now() - interval '1 day' - g * interval '1 minute', $1, 'mail.resend', 'account', $2, '{"template": "password_reset_url"}'
		FROM generate_series(1, 130) g`, op.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	c := env.Client(t)
	adminLogin(c, "sv", "Supervisor1234")

	page := c.Get("/admin/audit")
	if page.Status != 200 || !strings.Contains(page.Body, "131件") || !strings.Contains(page.Body, "メールの再送") ||
		!strings.Contains(page.Body, "みなと診療所") || !strings.Contains(page.Body, "1317654321") || !strings.Contains(page.Body, "監督 花子") ||
		strings.Contains(page.Body, "<td>mail.resend") || !strings.Contains(page.Body, `rel="next"`) {
		t.Fatalf("audit page: %d\n%s", page.Status, page.Body)
	}
	// Past the latest 100: the last page holds the oldest entries.
	last := c.Get("/admin/audit?last=1")
	if last.Status != 200 || !strings.Contains(last.Body, `rel="prev"`) || strings.Contains(last.Body, `rel="next"`) {
		t.Fatalf("last page: %d", last.Status)
	}
	for q, want := range map[string]string{
		"operator=" + itoa(op.ID):        "130件",
		"operator=system":                "0件",
		"action=operator.signin":         "1件",
		"facility=1317654321":            "130件",
		"facility=7654321":               "130件",
		"facility=１３１７６５４３２１":            "130件", // full-width digits are read
		"from=2000-01-01&to=2000-12-31":  "0件",
		"operator=999999&action=no.such": "131件", // stale values are ignored
	} {
		res := c.Get("/admin/audit?" + q)
		if res.Status != 200 || !strings.Contains(res.Body, `<p role="status">`+want+`</p>`) {
			t.Errorf("%s: %d, want %s", q, res.Status, want)
		}
	}
	for q, msg := range map[string]string{
		"facility=12345":                "医療機関等コードは7桁",
		"from=2026-02-30":               "日付を「2026-12-01」の形式で",
		"from=2026-12-02&to=2026-12-01": "期間の終わりは始まりより後",
	} {
		res := c.Get("/admin/audit?" + q)
		if res.Status != 422 || !strings.Contains(res.Body, msg) || !strings.Contains(res.Body, `aria-invalid="true"`) {
			t.Errorf("%s: %d", q, res.Status)
		}
	}
	csv := c.Get("/admin/audit/export.csv?encoding=utf8&facility=1317654321")
	if csv.Status != 200 || !strings.HasPrefix(csv.Body, "\ufeff日時,") || strings.Count(csv.Body, "\r\n") != 131 ||
		!strings.Contains(csv.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %v %d lines", csv.Status, csv.Header, strings.Count(csv.Body, "\r\n"))
	}
	if res := c.Get("/admin/audit/export.csv?encoding=ebcdic"); res.Status != 400 {
		t.Errorf("unknown encoding: %d", res.Status)
	}
	if got := c.Get("/admin/audit?action=audit.export"); !strings.Contains(got.Body, "操作履歴のCSV出力") || !strings.Contains(got.Body, "1件") {
		t.Error("the export is not in the trail")
	}
	_ = sv
}
