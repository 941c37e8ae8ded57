package postal_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"portal/internal/postal"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"1000013":       "1000013",
		"100-0013":      "1000013",
		"１００－００１３":      "1000013",
		"〒100-0013":     "1000013",
		"〒１００ー００１３":     "1000013",
		" 100 0013 ":    "1000013",
		"１００‐００１３":      "1000013",
		"100\u30000013": "1000013",
		"０６０ｰ００４２":      "0600042",
	}
	for in, want := range good {
		got, err := postal.Normalize(in)
		if err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "100001", "10000133", "100-001a", "abcdefg", "1000013\x00", "\xff1000013",
		"<script>", "1000013' OR 1=1", "一〇〇〇〇一三", string(bytes.Repeat([]byte("1"), 1000))} {
		if got, err := postal.Normalize(in); !errors.Is(err, postal.ErrInvalidCode) {
			t.Errorf("Normalize(%q) = %q, %v; want ErrInvalidCode", in, got, err)
		}
	}
}

func TestCleanTown(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"以下に掲載がない場合":                 "",
		"小菅村の次に６６４番地以降がくる場合":         "",
		"琴平町の次に番地がくる場合":              "",
		"御蔵島村一円":                     "",
		"一円":                         "一円",
		"霞が関（次のビルを除く）":               "霞が関",
		"霞が関霞が関ビルディング（地階・階層不明）":      "霞が関霞が関ビルディング",
		"霞が関霞が関ビルディング（１階）":           "霞が関霞が関ビルディング１階",
		"名駅ミッドランドスクエア（高層棟）（１２階）":     "名駅ミッドランドスクエア（高層棟）１２階",
		"名駅ミッドランドスクエア（高層棟）（地階・階層不明）": "名駅ミッドランドスクエア（高層棟）",
		"大通西（１～１９丁目）":                "大通西",
		"春日（明河原、一番割、上河原、郷前）":         "春日",
		"大江（１丁目、２丁目「６５１、６６２、６６８番地」以外、３丁目５）": "大江",
		"江田島町国有無番地": "江田島町国有無番地",
		"霞が関":       "霞が関",
	}
	for in, want := range cases {
		if got := postal.CleanTown(in); got != want {
			t.Errorf("CleanTown(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmbeddedLookup(t *testing.T) {
	t.Parallel()
	snap, err := postal.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if snap.Len() < 120_000 {
		t.Errorf("embedded data has %d records; the whole country has about 124,000", snap.Len())
	}
	got := snap.Lookup("1000013")
	want := []postal.Address{{PrefectureCode: 13, Prefecture: "東京都", City: "千代田区", Town: "霞が関"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("1000013 = %+v, want %+v", got, want)
	}
	if got[0].Line() != "千代田区霞が関" {
		t.Errorf("Line() = %q", got[0].Line())
	}
	// One code, two wards of 札幌市.
	got = snap.Lookup("0040000")
	want = []postal.Address{
		{PrefectureCode: 1, Prefecture: "北海道", City: "札幌市厚別区"},
		{PrefectureCode: 1, Prefecture: "北海道", City: "札幌市清田区"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("0040000 = %+v, want %+v", got, want)
	}
	// One code, many towns, in Japan Post's order.
	got = snap.Lookup("9218046")
	if len(got) != 2 || got[0].Town != "大桑町" || got[1].Town != "三小牛町" || got[0].City != "金沢市" || got[0].PrefectureCode != 17 {
		t.Errorf("9218046 = %+v", got)
	}
	if got := snap.Lookup("4520961"); len(got) < 10 || got[0].City != "清須市" {
		t.Errorf("4520961 has %d candidates: %+v", len(got), got)
	}
	// The first and last codes of the country, and codes that do not exist.
	if got := snap.Lookup("0600000"); len(got) != 1 || got[0].City != "札幌市中央区" || got[0].Town != "" {
		t.Errorf("0600000 = %+v", got)
	}
	if got := snap.Lookup("9071801"); len(got) != 1 || got[0].Prefecture != "沖縄県" {
		t.Errorf("9071801 = %+v", got)
	}
	for _, code := range []string{"0000000", "9999999", "1000007", "x", ""} {
		if got := snap.Lookup(code); len(got) != 0 {
			t.Errorf("%s = %+v, want none", code, got)
		}
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	records := []postal.Record{
		{Code: "9218046", PrefectureCode: 17, City: "金沢市", Town: "大桑町"},
		{Code: "1000013", PrefectureCode: 13, City: "千代田区", Town: "霞が関"},
		{Code: "9218046", PrefectureCode: 17, City: "金沢市", Town: "三小牛町"},
		{Code: "9218046", PrefectureCode: 17, City: "金沢市", Town: "大桑町"}, // duplicate
		{Code: "0040000", PrefectureCode: 1, City: "札幌市厚別区", Town: ""},
	}
	snap, err := postal.NewSnapshot("test", records)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := snap.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := postal.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want := []postal.Record{records[4], records[1], records[0], records[2]}
	if got := back.Records(); !reflect.DeepEqual(got, want) || back.Source != "test" {
		t.Errorf("round trip: %q %+v\nwant %+v", back.Source, got, want)
	}
	if _, err := postal.Decode(bytes.NewReader(buf.Bytes()[:buf.Len()/2])); err == nil {
		t.Error("a truncated file decoded without error")
	}
	if _, err := postal.Decode(bytes.NewReader([]byte("not gzip"))); err == nil {
		t.Error("garbage decoded without error")
	}
	for _, bad := range []postal.Record{
		{Code: "100001", PrefectureCode: 13, City: "千代田区"},
		{Code: "１００００１３", PrefectureCode: 13, City: "千代田区"},
		{Code: "1000013", PrefectureCode: 48, City: "千代田区"},
		{Code: "1000013", PrefectureCode: 13},
	} {
		if _, err := postal.NewSnapshot("bad", []postal.Record{bad}); err == nil {
			t.Errorf("record %+v accepted", bad)
		}
	}
}

// BenchmarkLookup measures one lookup (normalising the input included) in the whole
// country's data held in memory, as every request of /postal/lookup does after the
// first: a code with one town, the code with the most towns (66), and an unknown code.
func BenchmarkLookup(b *testing.B) {
	snap, err := postal.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, code string
		want       int
	}{{"one", "100-0013", 1}, {"most", "452-0961", 66}, {"unknown", "999-9999", 0}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				code, err := postal.Normalize(bc.code)
				if err != nil {
					b.Fatal(err)
				}
				if got := snap.Lookup(code); len(got) != bc.want {
					b.Fatalf("%s: %d candidates, want %d", bc.code, len(got), bc.want)
				}
			}
		})
	}
}
