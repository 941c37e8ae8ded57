package migrations_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"portal/internal/pref"
	"portal/internal/testdb"
	"portal/internal/testfixture"
)

// TestDatabaseRefusesWhatTheRulesForbid inserts rows the forms never produce straight into
// the application tables and expects PostgreSQL to refuse each with a CHECK or unique
// violation: the schema holds the rules even for code that bypasses the domain.
func TestDatabaseRefusesWhatTheRulesForbid(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	ap := testfixture.Facility(t, db, "3000001", pref.KindClinic)
	f, a := ap.Facility.ID, ap.Account.ID
	var model int64
	if err := db.QueryRow(ctx, `INSERT INTO card_reader_models (maker, product) VALUES ('m', 'p') RETURNING id`).Scan(&model); err != nil {
		t.Fatal(err)
	}
	const cr = `INSERT INTO cardreader_applications (reference, facility_id, account_id, intro_year, intro_month, online_claim,
		online_claim_year, online_claim_month, emr, emr_year, emr_month, dispensing, delivery_change, delivery_postal, delivery_pref,
		delivery_address, delivery_name, delivery_phone, delivery_contact, status, delivery_date, shipped_at, cancelled_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`
	// crRow is a valid card reader row; each case changes one thing.
	crRow := func(change func(v []any)) []any {
		v := []any{"CR-T", f, a, 2027, 4, "導入している", nil, nil, "導入予定なし", nil, nil, nil, false, "", nil, "", "", "", "",
			"受付済", nil, nil, nil}
		change(v)
		return v
	}
	const q = `INSERT INTO qualification_applications (reference, facility_id, account_id, status, line_type, provider,
		customer_id, start_year, start_month, test_year, test_month, approved_at, returned_at, return_reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`
	// qRow is a valid 利用申請 row of a facility of its own (one 利用申請 per facility);
	// each case changes one thing.
	n := 0
	qRow := func(change func(v []any)) []any {
		n++
		other := testfixture.Facility(t, db, fmt.Sprintf("31%05d", n), pref.KindHospital)
		v := []any{"QA-T" + fmt.Sprint(n), other.Facility.ID, other.Account.ID, "申請中", "IP-VPN接続方式", "NTT東日本", "CAF1234567890", 2027, 4, nil, nil, nil, nil, ""}
		change(v)
		return v
	}
	second := qRow(func([]any) {})
	var certApp int64
	if err := db.QueryRow(ctx, `INSERT INTO certificate_applications (reference, facility_id, account_id) VALUES ('EC-T', $1, $2) RETURNING id`, f, a).Scan(&certApp); err != nil {
		t.Fatal(err)
	}
	const c = `INSERT INTO certificates (application_id, facility_id, purpose, name, status, issued_at, revoked_at, cancelled_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	cRow := func(change func(v []any)) []any {
		v := []any{certApp, f, "資格確認端末", "PC", "申請中", nil, nil, nil}
		change(v)
		return v
	}
	now := "2026-12-01T00:00:00Z"
	// want is the SQLSTATE a refused case must give: unique_violation for the two cases
	// about a second row, check_violation for every rule.
	want := func(name string) string {
		if strings.HasPrefix(name, "a second") {
			return "23505"
		}
		return "23514"
	}
	for _, tc := range []struct {
		name string
		sql  string
		args []any
		ok   bool
	}{
		{"valid card reader row", cr, crRow(func([]any) {}), true},
		{"online_claim 導入済 (no form offers it)", cr, crRow(func(v []any) { v[0], v[5] = "CR-1", "導入済" }), false},
		{"planned without its month", cr, crRow(func(v []any) { v[0], v[5], v[6] = "CR-2", "未導入（導入予定あり）", 2027 }), false},
		{"a month without planned", cr, crRow(func(v []any) { v[0], v[6], v[7] = "CR-3", 2027, 5 }), false},
		{"13月", cr, crRow(func(v []any) { v[0], v[4] = "CR-4", 13 }), false},
		{"emr and dispensing both", cr, crRow(func(v []any) { v[0], v[11] = "CR-5", "導入している" }), false},
		{"delivery change without postal code", cr, crRow(func(v []any) {
			v[0], v[12], v[14], v[15], v[16], v[17], v[18] = "CR-6", true, 13, "住所", "名", "03-1-1", "担当"
		}), false},
		{"delivery fields without a change", cr, crRow(func(v []any) { v[0], v[16] = "CR-7", "別館" }), false},
		{"配送予定日決定 without a date", cr, crRow(func(v []any) { v[0], v[19] = "CR-8", "配送予定日決定" }), false},
		{"受付済 with a date", cr, crRow(func(v []any) { v[0], v[20] = "CR-9", "2027-01-05" }), false},
		{"発送済 without shipped_at", cr, crRow(func(v []any) { v[0], v[19], v[20] = "CR-10", "発送済", "2027-01-05" }), false},
		{"取消 without cancelled_at", cr, crRow(func(v []any) { v[0], v[19] = "CR-11", "取消" }), false},
		{"unknown status", cr, crRow(func(v []any) { v[0], v[19] = "CR-12", "保留" }), false},

		{"valid 利用申請", q, second, true},
		{"a second 利用申請 of the facility", q, append([]any{"QA-1"}, second[1:]...), false},
		{"customer ID of the wrong shape", q, qRow(func(v []any) { v[0], v[6] = "QA-2", "CAF123" }), false},
		{"customer ID for IPsec", q, qRow(func(v []any) { v[0], v[4], v[5] = "QA-3", "IPsec+IKE接続方式", "富士通株式会社" }), false},
		{"provider of the other line", q, qRow(func(v []any) { v[0], v[5] = "QA-4", "富士通株式会社" }), false},
		{"start 13月", q, qRow(func(v []any) { v[0], v[8] = "QA-5", 13 }), false},
		{"test year without month", q, qRow(func(v []any) { v[0], v[9] = "QA-6", 2027 }), false},
		{"test after start", q, qRow(func(v []any) { v[0], v[9], v[10] = "QA-7", 2027, 5 }), false},
		{"承認済 without approved_at", q, qRow(func(v []any) { v[0], v[3] = "QA-8", "承認済" }), false},
		{"差戻し without a reason", q, qRow(func(v []any) { v[0], v[3], v[12] = "QA-9", "差戻し", now }), false},
		{"申請中 with approved_at", q, qRow(func(v []any) { v[0], v[11] = "QA-10", now }), false},

		{"valid certificate", c, cRow(func([]any) {}), true},
		{"a second live certificate of that name", c, cRow(func([]any) {}), false},
		{"unknown purpose", c, cRow(func(v []any) { v[2], v[3] = "ゲーム用", "PC2" }), false},
		{"empty name", c, cRow(func(v []any) { v[3] = "" }), false},
		{"発行済 without issued_at", c, cRow(func(v []any) { v[3], v[4] = "PC3", "発行済" }), false},
		{"失効 without revoked_at", c, cRow(func(v []any) { v[3], v[4], v[5] = "PC4", "失効", now }), false},
		{"取消 with issued_at", c, cRow(func(v []any) { v[3], v[4], v[5], v[7] = "PC5", "取消", now, now }), false},
	} {
		_, err := db.Exec(ctx, tc.sql, tc.args...)
		var pgErr *pgconn.PgError
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case !tc.ok && err == nil:
			t.Errorf("%s: accepted", tc.name)
		case !tc.ok && (!errors.As(err, &pgErr) || pgErr.Code != want(tc.name)):
			t.Errorf("%s: refused for another reason: %v", tc.name, err)
		}
	}
}
