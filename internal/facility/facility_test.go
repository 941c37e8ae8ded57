package facility_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/facility"
	"portal/internal/operator"
	"portal/internal/testdb"
)

var secret = []byte("test-secret-test-secret-test-secret-0123")

// world is two facilities: A, a clinic with an account, a 利用申請 and a message; B, a
// pharmacy with a letter and no account.
type world struct {
	db     *pgxpool.Pool
	svc    *facility.Service
	a, b   account.Facility
	acct   account.Account
	op     operator.Operator
	letter account.Letter
	ref    string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	db := testdb.New(t)
	w := &world{db: db, svc: facility.NewService(db, secret, "https://portal.example.jp")}
	w.a = insertFacility(t, db, 13, 1, "1234567", "診療所", "医療法人　デモクリニック", "03-1234-5678")
	w.b = insertFacility(t, db, 27, 4, "7654321", "薬局", "さくら薬局", "0611112222")
	var err error
	w.acct, err = account.Create(ctx, db, account.NewAccount{FacilityID: w.a.ID, Email: "Demo@Example.jp", PasswordHash: "x",
		Profile: account.Profile{FacilityName: "デモクリニック本院", FounderName: "出茂太郎", Phone: "03-9999-0000", ContactName: "受付"}})
	if err != nil {
		t.Fatal(err)
	}
	if w.letter, err = account.IssueOne(ctx, db, secret, w.b.ID, account.KindLetter); err != nil {
		t.Fatal(err)
	}
	w.op, err = operator.Create(ctx, db, operator.NewOperator{Login: "op", Name: "山田 担当", Role: operator.RoleOperator, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	w.ref = "QA261201-000007"
	_, err = db.Exec(ctx, `INSERT INTO qualification_applications (reference, facility_id, account_id, status, line_type, provider,
		start_year, start_month) VALUES ($1, $2, $3, '申請中', 'IPsec+IKE接続方式', '富士通株式会社', 2027, 4)`, w.ref, w.a.ID, w.acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func insertFacility(t *testing.T, db *pgxpool.Pool, pref, table int, code, kind, name, phone string) account.Facility {
	t.Helper()
	var id int64
	err := db.QueryRow(context.Background(), `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name,
		founder_name, postal_code, address, phone) VALUES ($1, $2, $3, $4, $5, '見本 花子', '100-0013', '東京都千代田区霞が関1-1', $6)
		RETURNING id`, pref, table, code, kind, name, phone).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Fold in Go and portal_fold in PostgreSQL agree, so a query folded here meets the names
// folded there.
func TestFoldMatchesPostgreSQL(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	for _, s := range []string{"ﾃﾞﾓ　ｸﾘﾆｯｸ", "でもくりにっく", "ＡＢＣ歯科 Ｄｅｎｔａｌ", "髙橋医院・﨑山分院", "霞ヶ関 ゕゖ", "ヴァイオリン薬局",
		"㈱ヨコハマ①", "渡邊 齋藤 濱田 澤口", "ゝゞ", "", "a", "<script>", "'; DROP TABLE x; --", "😀𠮷"} {
		var got string
		if err := db.QueryRow(context.Background(), `SELECT portal_fold($1)`, s).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := facility.Fold(s); got != want {
			t.Errorf("Fold(%q) = %q, portal_fold = %q", s, want, got)
		}
	}
	if got := facility.Fold("ﾃﾞﾓ　くりにっく"); got != "デモクリニック" {
		t.Errorf("Fold folds to %q", got)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, tc := range []struct {
		q       string
		want    []int64
		reading string
	}{
		{"1234567", []int64{w.a.ID}, facility.ByCode},
		{"１３１１２３４５６７", []int64{w.a.ID}, facility.ByCode},
		{"13-1-1234567", []int64{w.a.ID}, facility.ByCode},
		{"０３－１２３４－５６７８", []int64{w.a.ID}, facility.ByPhone},
		{"0312345678", []int64{w.a.ID}, facility.ByPhone},
		{"(03) 9999 0000", []int64{w.a.ID}, facility.ByPhone},
		{"06-1111-2222", []int64{w.b.ID}, facility.ByPhone},
		{"ﾃﾞﾓｸﾘ", []int64{w.a.ID}, facility.ByName},
		{"でもくりにっく", []int64{w.a.ID}, facility.ByName},
		{"クリニック本院", []int64{w.a.ID}, facility.ByName},
		{"サクラ", []int64{w.b.ID}, facility.ByName},
		{"薬局", []int64{w.b.ID}, facility.ByName},
		{"ＤＥＭＯ＠example.jp", []int64{w.a.ID}, facility.ByEmail},
		{w.letter.LoginID, []int64{w.b.ID}, facility.ByLoginID},
		{"qa２６１２０１－０００００７", []int64{w.a.ID}, facility.ByReference},
		{"存在しない病院", nil, ""},
		{"' OR 1=1; DROP TABLE accounts; --", nil, ""},
		{"<script>alert(1)</script>", nil, ""},
		{"100%", nil, ""},
		{"__", nil, ""},
	} {
		res, err := w.svc.Search(ctx, tc.q)
		if err != nil {
			t.Errorf("%q: %v", tc.q, err)
			continue
		}
		var got []int64
		for _, h := range res.Hits {
			got = append(got, h.Facility.ID)
			if tc.reading != "" && !slices.Contains(h.Matched, tc.reading) {
				t.Errorf("%q: matched by %v, want %s", tc.q, h.Matched, tc.reading)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: found %v, want %v", tc.q, got, tc.want)
		}
	}
	res, err := w.svc.Search(ctx, "デモクリニック")
	if err != nil || len(res.Hits) != 1 || res.Hits[0].State() != facility.StateRegistered || res.Hits[0].AccountEmail != "Demo@Example.jp" {
		t.Fatalf("hit: %+v %v", res, err)
	}
	if res, _ := w.svc.Search(ctx, "さくら"); len(res.Hits) != 1 || res.Hits[0].State() != facility.StateLetter {
		t.Errorf("letter state: %+v", res.Hits)
	}
	for q, msg := range map[string]string{
		"":                         facility.MsgEmpty,
		"　 ":                       facility.MsgEmpty,
		"あ":                        facility.MsgNameTooShort,
		"・ あ":                      facility.MsgNameTooShort,
		strings.Repeat("x", 10000): facility.MsgTooLong,
		"12345":                    facility.MsgDigits,
		"03-1234":                  facility.MsgDigits,
		"a\x00b":                   facility.MsgUnprintable,
		"\xff\xfe":                 facility.MsgUnprintable,
		"a@b@c":                    facility.MsgEmail,
	} {
		_, err := w.svc.Search(ctx, q)
		var qe *facility.QueryError
		if !errors.As(err, &qe) || qe.Message != msg {
			t.Errorf("%q: %v, want %q", q, err, msg)
		}
	}
}

// A crowded name stops at the limit and says there were more; whole names come first.
func TestSearchLimit(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	svc := facility.NewService(db, secret, "https://portal.example.jp")
	if _, err := db.Exec(context.Background(), `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name,
		founder_name, postal_code, address, phone)
		SELECT 13, 1, lpad(i::text, 7, '0'), '診療所', 'みどりクリニック' || i, '見本', '100-0013', '東京都', '03-0000-0000'
		FROM generate_series(1, 120) i`); err != nil {
		t.Fatal(err)
	}
	exact := insertFacility(t, db, 14, 1, "9999999", "診療所", "みどりクリニック", "045-000-0000")
	res, err := svc.Search(context.Background(), "ミドリクリニック")
	if err != nil {
		t.Fatal(err)
	}
	if !res.More || len(res.Hits) != facility.Limit || res.Hits[0].Facility.ID != exact.ID {
		t.Fatalf("more %v, %d hits, first %+v", res.More, len(res.Hits), res.Hits[0].Facility)
	}
}
