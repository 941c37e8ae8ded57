package postal_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"portal/internal/postal"
	"portal/internal/testdb"
)

func parseFixture(t *testing.T) []postal.Record {
	t.Helper()
	f, err := os.Open("testdata/utf_ken_all.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := postal.ParseKenAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return records
}

func TestParseKenAll(t *testing.T) {
	t.Parallel()
	got := parseFixture(t)
	want := []postal.Record{
		{"0600000", 1, "札幌市中央区", ""},
		{"0600042", 1, "札幌市中央区", "大通西"},
		{"0040000", 1, "札幌市厚別区", ""},
		{"0040000", 1, "札幌市清田区", ""},
		{"1000000", 13, "千代田区", ""},
		{"1000013", 13, "千代田区", "霞が関"},
		{"1006090", 13, "千代田区", "霞が関霞が関ビルディング"},
		{"1006001", 13, "千代田区", "霞が関霞が関ビルディング１階"},
		{"9218046", 17, "金沢市", "大桑町"},
		{"9218046", 17, "金沢市", "三小牛町"},
		{"4090211", 19, "北都留郡小菅村", ""},
		{"4520961", 23, "清須市", "春日"}, // two rows joined, the list of 小字 dropped
		{"5220317", 25, "犬上郡多賀町", "一円"},
		{"1001301", 13, "御蔵島村", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parsed\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseKenAllReportsEveryBadLine(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile("testdata/utf_ken_all.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(good)), "\n")
	bad := []string{
		lines[0],
		`13101,"100  ","100001","ﾄｳｷｮｳﾄ","ﾁﾖﾀﾞｸ","ｶｽﾐｶﾞｾｷ","東京都","千代田区","霞が関",0,0,1,0,0,0`,                      // line 2: 6 digits
		`13101,"100  ","1000013","ﾄｳｷｮｳﾄ","ﾁﾖﾀﾞｸ","ｶｽﾐｶﾞｾｷ","東京府","千代田区","霞が関",0,0,1,0,0,0`,                     // line 3: prefecture
		`13101,"100  ","1000013","ﾄｳｷｮｳﾄ","ﾁﾖﾀﾞｸ","ｶｽﾐｶﾞｾｷ","東京都","千代田区"`,                                       // line 4: 8 columns
		"13101,\"100  \",\"1000013\",\"ﾄｳｷｮｳﾄ\",\"ﾁﾖﾀﾞｸ\",\"ｶｽﾐｶﾞｾｷ\",\"東京都\",\"\x93\x8c\",\"霞が関\",0,0,1,0,0,0", // line 5: Shift_JIS
		`01101,"100  ","1000013","ﾄｳｷｮｳﾄ","ﾁﾖﾀﾞｸ","ｶｽﾐｶﾞｾｷ","東京都","千代田区","霞が関",0,0,1,0,9,0`,                     // line 6: JIS code, flag
		`23220,"452  ","4520961","ｱｲﾁｹﾝ","ｷﾖｽｼ","ﾊﾙﾋ(","愛知県","清須市","春日（明河原、一番割、",0,1,0,0,0,0`,                   // line 7: never closed
		lines[5], // line 8
	}
	_, err = postal.ParseKenAll(strings.NewReader(strings.Join(bad, "\r\n") + "\r\n"))
	var ie *postal.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want *ImportError", err)
	}
	wantPrefixes := []string{"2行目: 郵便番号「100001」", "3行目: 都道府県名「東京府」", "4行目: 項目の数が8個", "5行目: 8列目（市区町村名）がUTF-8として読めません",
		"6行目: 全国地方公共団体コード「01101」が都道府県名「東京都」と合いません", "6行目: 14列目（更新の表示）が「9」", "7行目: 町域名の「（」が閉じられていません"}
	if len(ie.Problems) != len(wantPrefixes) {
		t.Fatalf("problems:\n%s", strings.Join(ie.Problems, "\n"))
	}
	for i, p := range wantPrefixes {
		if !strings.HasPrefix(ie.Problems[i], p) {
			t.Errorf("problem %d = %q, want prefix %q", i, ie.Problems[i], p)
		}
	}
	if !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("message %q", err)
	}

	sjis := "13101,\"100  \",\"1000013\",\"\xc4\xb3\xb7\xae\xb3\xc4\",\"\",\"\",\"\x93\x8c\x8b\x9e\x93\x73\",\"x\",\"\",0,0,0,0,0,0\r\n"
	if _, err := postal.ParseKenAll(strings.NewReader(strings.Repeat(sjis, 100))); !errors.As(err, &ie) || len(ie.Problems) != 1 || !strings.Contains(ie.Problems[0], "Shift_JIS") {
		t.Errorf("Shift_JIS file: %v", err)
	}
	if _, err := postal.ParseKenAll(strings.NewReader("")); !errors.As(err, &ie) {
		t.Errorf("empty file: %v", err)
	}
	if _, err := postal.ParseKenAll(strings.NewReader("a,\"b\n")); !errors.As(err, &ie) || !strings.HasPrefix(ie.Problems[0], "1行目: CSV") {
		t.Errorf("broken quote: %v", err)
	}
}

func TestImportReplacesDataForEveryInstance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	// Two instances of the portal on one database; the second checks once an hour.
	a := postal.NewDirectory(db, nil, time.Nanosecond)
	b := postal.NewDirectory(db, nil, time.Hour)

	// Before any import both answer from the embedded data.
	for _, d := range []*postal.Directory{a, b} {
		got, err := d.Lookup(ctx, "〒１５０－００００")
		if err != nil || len(got) != 1 || got[0].City != "渋谷区" {
			t.Fatalf("embedded 1500000 = %+v, %v", got, err)
		}
	}

	// A broken file replaces nothing.
	_, err := postal.ImportKenAll(ctx, db, strings.NewReader("13101,\"100  \",\"10\"\n"), "broken.csv")
	if err == nil {
		t.Fatal("broken file imported")
	}
	if v, err := postal.CurrentVersion(ctx, db); err != nil || v.Number != 0 {
		t.Fatalf("version after a refused import = %+v, %v", v, err)
	}

	f, err := os.Open("testdata/utf_ken_all.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := postal.ImportKenAll(ctx, db, f, "utf_ken_all.csv")
	if err != nil {
		t.Fatal(err)
	}
	if v.Number != 1 || v.RowCount != 14 {
		t.Errorf("version %+v", v)
	}

	// a checks at its next lookup and sees only the imported rows.
	got, err := a.Lookup(ctx, "1000013")
	if err != nil || len(got) != 1 || got[0].Town != "霞が関" {
		t.Errorf("imported 1000013 = %+v, %v", got, err)
	}
	if got, _ := a.Lookup(ctx, "1500000"); len(got) != 0 {
		t.Errorf("1500000 is not in the imported file but found %+v", got)
	}
	if got, _ := a.Lookup(ctx, "9218046"); len(got) != 2 || got[0].Town != "大桑町" || got[1].Town != "三小牛町" {
		t.Errorf("imported 9218046 keeps Japan Post's order: %+v", got)
	}
	if src, _ := a.Source(ctx); !strings.Contains(src, "utf_ken_all.csv (import 1)") {
		t.Errorf("source %q", src)
	}
	// b keeps its snapshot until its interval passes; Refresh is that moment.
	if got, _ := b.Lookup(ctx, "1500000"); len(got) != 1 {
		t.Errorf("b reloaded before its interval: %+v", got)
	}
	if err := b.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Lookup(ctx, "1500000"); len(got) != 0 {
		t.Errorf("b after refresh: %+v", got)
	}

	// A second import bumps the version; a fresh instance starts from the database.
	v, err = postal.Import(ctx, db, "second", []postal.Record{{Code: "1000013", PrefectureCode: 13, City: "千代田区", Town: "霞が関"}})
	if err != nil || v.Number != 2 {
		t.Fatalf("second import %+v, %v", v, err)
	}
	c := postal.NewDirectory(db, nil, time.Hour)
	if got, _ := c.Lookup(ctx, "9218046"); len(got) != 0 {
		t.Errorf("fresh instance did not load version 2: %+v", got)
	}
	if _, err := c.Lookup(ctx, "12345"); !errors.Is(err, postal.ErrInvalidCode) {
		t.Errorf("bad code: %v", err)
	}
}

// TestDirectoryUnderConcurrentLookups: lookups go on, each seeing one whole version,
// while an import replaces the data and every lookup may trigger the version check.
func TestDirectoryUnderConcurrentLookups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	d := postal.NewDirectory(db, nil, time.Nanosecond)
	records := parseFixture(t)
	errc := make(chan error, 8)
	for range 8 {
		go func() {
			for range 100 {
				got, err := d.Lookup(ctx, "1000013")
				if err != nil || len(got) != 1 || got[0].Town != "霞が関" {
					errc <- fmt.Errorf("1000013 = %+v, %v", got, err)
					return
				}
			}
			errc <- nil
		}()
	}
	for range 3 {
		if _, err := postal.Import(ctx, db, "utf_ken_all.csv", records); err != nil {
			t.Fatal(err)
		}
	}
	for range 8 {
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
	if err := d.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if src, _ := d.Source(ctx); src != "utf_ken_all.csv (import 3)" {
		t.Errorf("source after three imports: %q", src)
	}
}
