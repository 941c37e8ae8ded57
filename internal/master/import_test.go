package master

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/encoding/japanese"

	"portal/internal/testdb"
)

// sample covers every 施設種別 and 点数表, and characters only CP932 has (髙, ①, ～).
const sample = header +
	"13,1,0110011,病院,デモ中央病院,医療法人社団デモ会 理事長 見本 髙志,100-0013,東京都千代田区霞が関1-2-2,03-0000-1001,,0\n" +
	"13,3,0110011,病院,デモ中央病院 歯科,医療法人社団デモ会 理事長 見本 髙志,100-0013,東京都千代田区霞が関1-2-2,03-0000-1002,0,1\n" +
	"27,1,0120021,診療所,デモ内科クリニック①,試行 花子,540-0008,大阪府大阪市中央区大手前2丁目1-22,06-0000-2001,0,0\n" +
	"27,3,0120031,診療所,デモ歯科医院,模擬 次郎,540-0008,大阪府大阪市中央区大手前2丁目1-22,06-0000-2002,0,0\n" +
	"1,4,0130041,薬局,デモ調剤薬局 北一条店～,株式会社デモファーマ 代表取締役 見本 三郎,060-0001,北海道札幌市中央区北一条西2丁目,011-000-3001,1,0\n"

func count(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM facilities").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dump returns every stored facility, in key order, for comparing two imports.
func dump(t *testing.T, pool *pgxpool.Pool) []Facility {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT prefecture_code, score_table_code, code, kind, name,
		founder_name, postal_code, address, phone, large_chain_pharmacy, dental_hospital_with_medical
		FROM facilities ORDER BY prefecture_code, score_table_code, code`)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Facility, error) {
		var f Facility
		err := r.Scan(&f.PrefectureCode, &f.ScoreTableCode, &f.Code, &f.Kind, &f.Name, &f.FounderName,
			&f.PostalCode, &f.Address, &f.Phone, &f.LargeChainPharmacy, &f.DentalHospitalWithMedical)
		return f, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestImportInsertsThenUpdates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)

	res, err := Import(ctx, pool, strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Inserted: 5}) {
		t.Fatalf("first import = %+v", res)
	}
	fs := dump(t, pool)
	if len(fs) != 5 || fs[0].PrefectureCode != 1 || !fs[0].LargeChainPharmacy || fs[2].Name != "デモ中央病院 歯科" ||
		!fs[2].DentalHospitalWithMedical {
		t.Fatalf("stored %+v", fs)
	}

	// Same file again: nothing changes, updated_at stays.
	var before string
	if err := pool.QueryRow(ctx, "SELECT max(updated_at)::text FROM facilities").Scan(&before); err != nil {
		t.Fatal(err)
	}
	res, err = Import(ctx, pool, strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Unchanged: 5}) {
		t.Fatalf("repeat import = %+v", res)
	}
	var after string
	if err := pool.QueryRow(ctx, "SELECT max(updated_at)::text FROM facilities").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("unchanged rows were touched: %s → %s", before, after)
	}

	// A renamed clinic, a moved pharmacy and one new facility; rows absent from the file stay.
	changed := header +
		"27,1,0120021,診療所,デモ内科・小児科クリニック,試行 花子,540-0008,大阪府大阪市中央区大手前2丁目1-22,06-0000-2001,0,0\n" +
		"01,4,0130041,薬局,デモ調剤薬局 北一条店,株式会社デモファーマ 代表取締役 見本 三郎,060-0003,北海道札幌市中央区北三条西6丁目,011-000-3001,0,0\n" +
		"40,1,0140011,診療所,デモ天神クリニック,見本 四郎,810-0001,福岡県福岡市中央区天神1丁目8-1,092-000-4001,0,0\n"
	res, err = Import(ctx, pool, strings.NewReader(changed))
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Inserted: 1, Updated: 2}) {
		t.Fatalf("changed import = %+v", res)
	}
	if n := count(t, pool); n != 6 {
		t.Fatalf("count = %d, want 6", n)
	}
	var name, postal string
	var chain bool
	if err := pool.QueryRow(ctx, `SELECT name FROM facilities WHERE prefecture_code = 27 AND score_table_code = 1
		AND code = '0120021'`).Scan(&name); err != nil || name != "デモ内科・小児科クリニック" {
		t.Fatalf("renamed clinic: %q %v", name, err)
	}
	if err := pool.QueryRow(ctx, `SELECT postal_code, large_chain_pharmacy FROM facilities
		WHERE prefecture_code = 1 AND score_table_code = 4 AND code = '0130041'`).Scan(&postal, &chain); err != nil ||
		postal != "060-0003" || chain {
		t.Fatalf("moved pharmacy: %q %v %v", postal, chain, err)
	}
}

func TestImportRefusesWholeFileAndReportsEveryBadRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	lines := strings.Split(strings.TrimSuffix(sample, "\n"), "\n")
	lines[2] = strings.Replace(lines[2], ",3,", ",2,", 1)         // line 3: 点数表
	lines[4] = strings.Replace(lines[4], "0120031", "012003", 1)  // line 5: code
	lines[5] = strings.Replace(lines[5], "011-000-3001", "電話", 1) // line 6: phone
	_, err := Import(ctx, pool, strings.NewReader(strings.Join(lines, "\n")+"\n"))
	ps := problemsOf(t, err)
	want := []Problem{
		{3, "点数表コードは1、3、4のいずれかです（「2」）"},
		{5, "医療機関等コードは7桁の数字です（「012003」）"},
		{6, "電話番号は0から始まる10桁か11桁の数字で、「数字-数字-数字」か数字だけで書きます（「電話」）"},
	}
	if fmt.Sprint(ps) != fmt.Sprint(want) {
		t.Fatalf("problems:\n%v\nwant\n%v", ps, want)
	}
	if n := count(t, pool); n != 0 {
		t.Fatalf("%d facilities imported from a refused file", n)
	}
}

func TestImportEncodingsAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sjis, err := japanese.ShiftJIS.NewEncoder().String(strings.ReplaceAll(sample, "\n", "\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"UTF-8":        sample,
		"UTF-8 BOM":    "\uFEFF" + sample,
		"CP932 (CRLF)": sjis,
	}
	var want []Facility
	for _, name := range []string{"UTF-8", "UTF-8 BOM", "CP932 (CRLF)"} {
		pool := testdb.New(t)
		if _, err := Import(ctx, pool, strings.NewReader(files[name])); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got := dump(t, pool)
		if want == nil {
			want = got
			if len(want) != 5 || want[1].FounderName != "医療法人社団デモ会 理事長 見本 髙志" ||
				want[3].Name != "デモ内科クリニック①" || want[0].Name != "デモ調剤薬局 北一条店～" {
				t.Fatalf("%s stored %+v", name, want)
			}
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s stored\n%+v\nwant\n%+v", name, got, want)
		}
	}
}

func TestImportRefusesUnreadableEncoding(t *testing.T) {
	t.Parallel()
	sjis, err := japanese.ShiftJIS.NewEncoder().String(sample)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file string
		line       int
		guess      string
	}{
		// One Latin-1 byte in an otherwise UTF-8 file.
		{"stray byte in UTF-8", strings.Replace(sample, "デモ歯科医院", "デモ歯科\xe9医院", 1), 5, "UTF-8"},
		{"stray byte after BOM", "\uFEFF" + strings.Replace(sample, "試行", "試\xff行", 1), 4, "UTF-8"},
		// A lead byte followed by a byte Shift_JIS never uses as trail.
		{"broken Shift_JIS", strings.Replace(sjis, "1,4,", "1,4,\x81\x7f", 1), 6, "Shift_JIS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pool := testdb.New(t)
			_, err := Import(context.Background(), pool, strings.NewReader(tt.file))
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].Line != tt.line || !strings.Contains(ps[0].Reason, tt.guess+"として読めない") {
				t.Fatalf("problems = %v", ps)
			}
			if n := count(t, pool); n != 0 {
				t.Fatalf("%d imported", n)
			}
		})
	}
}

func TestImportInsideTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // twice in one transaction: the temporary table must not collide
		if _, err := Import(ctx, tx, strings.NewReader(sample)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, pool); n != 0 {
		t.Fatalf("rolled-back import left %d rows", n)
	}
}
