package auditlog_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/auditlog"
	"portal/internal/cardreader"
	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/operator"
	"portal/internal/outbox"
	"portal/internal/testdb"
)

type world struct {
	db                 *pgxpool.Pool
	sv, op             operator.Operator
	facility, other    int64
	account, app, mail int64
	facilityCode       string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: testdb.New(t)}
	var err error
	if w.sv, err = operator.Create(ctx, w.db, operator.NewOperator{Login: "sv", Name: "監督 花子", Role: operator.RoleSupervisor, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if w.op, err = operator.Create(ctx, w.db, operator.NewOperator{Login: "op", Name: "操作 太郎", Role: operator.RoleOperator, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	for i, id := range []*int64{&w.facility, &w.other} {
		err := w.db.QueryRow(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
			VALUES ($1, 1, '1234567', '診療所', $2, '開設者', '1000001', '東京都千代田区1', '03-0000-0000') RETURNING id`,
			13+i, []string{"みなと診療所", "よそ診療所"}[i]).Scan(id)
		if err != nil {
			t.Fatal(err)
		}
	}
	w.facilityCode = "1311234567"
	q := func(sql string, dst *int64, args ...any) {
		t.Helper()
		if err := w.db.QueryRow(ctx, sql, args...).Scan(dst); err != nil {
			t.Fatal(err)
		}
	}
	q(`INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		VALUES ($1, 'minato@example.jp', 'x', 'みなと診療所', '開設者', '03-0000-0000', '受付') RETURNING id`, &w.account, w.facility)
	q(`INSERT INTO cardreader_applications (reference, facility_id, account_id, intro_year, intro_month, online_claim)
		VALUES ('CR261201-000001', $1, $2, 2027, 4, '導入している') RETURNING id`, &w.app, w.facility, w.account)
	q(`INSERT INTO mail_outbox (to_addr, subject, body, template, facility_id, message_id) VALUES ('minato@example.jp', '件名', '本文', 'cardreader_applied', $1, '<t1@portal.test>') RETURNING id`,
		&w.mail, w.facility)
	return w
}

func (w *world) record(t *testing.T, op int64, action, target string, id int64, detail any) {
	t.Helper()
	if err := operator.Record(context.Background(), w.db, op, action, target, id, detail); err != nil {
		t.Fatal(err)
	}
}

func TestListReadsLikePeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.record(t, w.op.ID, cardreader.AuditDeliveryDate, "cardreader_application", w.app, map[string]string{"date": "2026-12-10"})
	w.record(t, w.op.ID, outbox.ActionRetry, outbox.TargetMail, w.mail, map[string]any{"template": "cardreader_applied"})
	w.record(t, w.sv.ID, operator.ActionRoleChange, operator.TargetOperator, w.op.ID, map[string]string{"from": "operator", "to": "supervisor"})
	w.record(t, 0, "account.housekeeping", "account", w.account, nil)
	w.record(t, w.sv.ID, cardreader.AuditExport, "cardreader_maker", 0, map[string]string{"maker": "富士通Japan", "encoding": "cp932"})

	page, err := auditlog.List(ctx, w.db, auditlog.Request{Request: listing.Request{Limit: 50}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 5 || page.Count.String() != "5件" || page.Older != nil || page.Newer != nil {
		t.Fatalf("page: %d rows, %s", len(page.Rows), page.Count)
	}
	e := page.Rows // newest first
	if e[0].ActionLabel() != "カードリーダーのメーカー向けCSV出力" || e[0].Who() != "監督 花子" || e[0].FacilityCode != "" ||
		e[0].DetailText() != "文字コード: cp932、メーカー: 富士通Japan" || e[0].TargetLabel() != "カードリーダーメーカー" {
		t.Errorf("export entry: %+v %q", e[0], e[0].DetailText())
	}
	if e[1].Who() != "システム" || e[1].FacilityName != "みなと診療所" || e[1].ActionLabel() != "account.housekeeping" {
		t.Errorf("system entry on an account: %+v", e[1])
	}
	if e[2].DetailText() != "変更前: オペレーター、変更後: スーパーバイザー" || e[2].FacilityID != 0 || e[2].TargetLabel() != "オペレーター #"+itoa(w.op.ID) {
		t.Errorf("role change: %+v %q", e[2], e[2].DetailText())
	}
	if e[3].FacilityCode != w.facilityCode || e[3].ActionLabel() != "メールの再試行" || e[3].OperatorLogin != "op" {
		t.Errorf("mail entry: %+v", e[3])
	}
	if e[4].FacilityName != "みなと診療所" || e[4].DetailText() != "日付: 2026年12月10日（令和8年12月10日）" || e[4].TargetLabel() != "カードリーダー申込 #"+itoa(w.app) {
		t.Errorf("card reader entry: %+v", e[4])
	}

	count := func(f auditlog.Filter) int {
		t.Helper()
		p, err := auditlog.List(ctx, w.db, auditlog.Request{Filter: f, Request: listing.Request{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Rows)
	}
	for name, c := range map[string]struct {
		f    auditlog.Filter
		want int
	}{
		"operator":           {auditlog.Filter{OperatorID: w.op.ID}, 2},
		"system":             {auditlog.Filter{System: true}, 1},
		"action":             {auditlog.Filter{Action: outbox.ActionRetry}, 1},
		"facility 10 digits": {auditlog.Filter{FacilityCode: w.facilityCode}, 3},
		"facility 7 digits":  {auditlog.Filter{FacilityCode: "1234567"}, 3},
		"unknown facility":   {auditlog.Filter{FacilityCode: "4711234567"}, 0},
		"other facility":     {auditlog.Filter{FacilityCode: "1411234567"}, 0},
		"facility+operator":  {auditlog.Filter{FacilityCode: w.facilityCode, OperatorID: w.op.ID}, 2},
		"today":              {auditlog.Filter{From: jp.Today(), To: jp.Today()}, 5},
		"yesterday":          {auditlog.Filter{From: jp.Today().AddDate(0, 0, -1), To: jp.Today().AddDate(0, 0, -1)}, 0},
		"from tomorrow":      {auditlog.Filter{From: jp.Today().AddDate(0, 0, 1)}, 0},
	} {
		if got := count(c.f); got != c.want {
			t.Errorf("%s: %d entries, want %d", name, got, c.want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPagesFromBothEndsAndCappedCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	// 1,234 entries, many sharing one timestamp, so the id breaks the ties.
	if _, err := w.db.Exec(ctx, `INSERT INTO audit_log (at, operator_id, action, target_type, target_id)
		SELECT now() - (g / 3) * interval '1 second', $1, 'operator.signin', 'operator', $1 FROM generate_series(1, 1234) g`, w.op.ID); err != nil {
		t.Fatal(err)
	}
	list := func(r listing.Request) listing.Page[auditlog.Entry] {
		t.Helper()
		r.Limit = 100
		p, err := auditlog.List(ctx, w.db, auditlog.Request{Request: r})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var all []int64
	var keys []listing.Key
	p := list(listing.Request{})
	if p.Count.String() != "1,000件以上" || p.Newer != nil {
		t.Fatalf("first page: %s %v", p.Count, p.Newer)
	}
	for {
		for _, e := range p.Rows {
			all = append(all, e.ID)
			keys = append(keys, listing.Key{At: e.At, ID: e.ID})
		}
		if p.Older == nil {
			break
		}
		p = list(listing.Request{After: p.Older})
	}
	if len(all) != 1234 {
		t.Fatalf("walked %d entries", len(all))
	}
	for i := 1; i < len(keys); i++ {
		a, b := keys[i-1], keys[i]
		if b.At.After(a.At) || b.At.Equal(a.At) && b.ID >= a.ID {
			t.Fatalf("not newest first at %d: %v then %v", i, a, b)
		}
	}
	last := list(listing.Request{Last: true})
	if len(last.Rows) != 100 || last.Older != nil || last.Newer == nil || last.Rows[99].ID != all[len(all)-1] || last.Rows[0].ID != all[len(all)-100] {
		t.Fatalf("last page: %d rows", len(last.Rows))
	}
	back := list(listing.Request{Before: last.Newer})
	if back.Rows[99].ID != all[len(all)-101] {
		t.Fatalf("page before the last ends with %d, want %d", back.Rows[99].ID, all[len(all)-101])
	}
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t)
	w.record(t, w.op.ID, cardreader.AuditDeliveryDate, "cardreader_application", w.app, map[string]string{"date": "2026-12-10"})
	w.record(t, w.op.ID, "=cmd|' /C calc'!A0", "", 0, nil)
	svc := auditlog.NewService(w.db)
	var utf8, cp932 bytes.Buffer
	if err := svc.Export(ctx, w.sv, &utf8, auditlog.Filter{OperatorID: w.op.ID}, jp.UTF8BOM); err != nil {
		t.Fatal(err)
	}
	if err := svc.Export(ctx, w.sv, &cp932, auditlog.Filter{FacilityCode: w.facilityCode}, jp.CP932); err != nil {
		t.Fatal(err)
	}
	out := utf8.String()
	lines := strings.Split(strings.TrimRight(out, "\r\n"), "\r\n")
	if !strings.HasPrefix(out, "\ufeff日時,操作者,") || len(lines) != 3 {
		t.Fatalf("utf-8 export:\n%s", out)
	}
	if !strings.Contains(lines[2], ",操作 太郎,op,カードリーダー配送予定日の設定,cardreader.delivery_date,カードリーダー申込,") ||
		!strings.Contains(lines[2], ",1311234567,みなと診療所,日付: 2026年12月10日（令和8年12月10日）") {
		t.Errorf("card reader row: %s", lines[2])
	}
	if !strings.Contains(lines[1], ",'=cmd") {
		t.Errorf("a formula in a cell was not defused: %s", lines[1])
	}
	if bytes.HasPrefix(cp932.Bytes(), []byte("\xef\xbb\xbf")) || !bytes.Contains(cp932.Bytes(), []byte("\x93\xfa\x8e\x9e")) {
		t.Errorf("cp932 export: % x", cp932.Bytes()[:16])
	}
	// Both downloads are in the trail, with their filters.
	p, err := auditlog.List(ctx, w.db, auditlog.Request{Filter: auditlog.Filter{Action: auditlog.ActionExport}, Request: listing.Request{Limit: 10}})
	if err != nil || len(p.Rows) != 2 || !strings.Contains(p.Rows[0].DetailText(), "医療機関等: 1311234567") {
		t.Fatalf("export entries: %+v %v", p.Rows, err)
	}
}
