package master

import (
	"errors"
	"strings"
	"testing"
)

const header = "都道府県コード,点数表コード,医療機関等コード,施設種別,医療機関等名称,開設者氏名,郵便番号,所在地,電話番号,大型チェーン薬局,医科併設歯科病院\n"

// good is a valid row; rules tests change one column at a time.
var good = []string{"13", "1", "0110011", "病院", "デモ中央病院", "医療法人社団デモ会 理事長 見本 太郎",
	"100-0013", "東京都千代田区霞が関1-2-2", "03-0000-1001", "0", "0"}

func row(change map[int]string) string {
	cells := append([]string(nil), good...)
	for i, v := range change {
		cells[i] = v
	}
	return strings.Join(cells, ",") + "\n"
}

func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want *ValidationError", err)
	}
	return ve.Problems
}

func TestParseRowRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change map[int]string
		want   string // "" means valid
	}{
		{"valid", nil, ""},
		{"prefecture one digit", map[int]string{colPrefecture: "1", colAddress: "北海道札幌市中央区北一条西2丁目"}, ""},
		{"prefecture full-width", map[int]string{colPrefecture: "１３"}, ""},
		{"prefecture empty", map[int]string{colPrefecture: ""}, "都道府県コードが空です"},
		{"prefecture 0", map[int]string{colPrefecture: "0"}, "都道府県コードは01～47のいずれかです（「0」）"},
		{"prefecture 48", map[int]string{colPrefecture: "48"}, "都道府県コードは01～47"},
		{"prefecture 013", map[int]string{colPrefecture: "013"}, "都道府県コードは01～47"},
		{"prefecture letters", map[int]string{colPrefecture: "東京"}, "都道府県コードは01～47"},
		{"score table 2", map[int]string{colScoreTable: "2"}, "点数表コードは1、3、4のいずれかです（「2」）"},
		{"score table empty", map[int]string{colScoreTable: ""}, "点数表コードが空です"},
		{"score table full-width", map[int]string{colScoreTable: "３", colKind: "病院"}, ""},
		{"code 6 digits", map[int]string{colCode: "011001"}, "医療機関等コードは7桁の数字です"},
		{"code 8 digits", map[int]string{colCode: "01100111"}, "医療機関等コードは7桁の数字です"},
		{"code letters", map[int]string{colCode: "01100A1"}, "医療機関等コードは7桁の数字です"},
		{"code empty", map[int]string{colCode: ""}, "医療機関等コードが空です"},
		{"code full-width and spaces", map[int]string{colCode: " ０１１００１１　"}, ""},
		{"kind unknown", map[int]string{colKind: "助産所"}, "施設種別は病院、診療所、薬局のいずれかです"},
		{"kind empty", map[int]string{colKind: ""}, "施設種別が空です"},
		{"name empty", map[int]string{colName: " "}, "医療機関等名称が空です"},
		{"name too long", map[int]string{colName: strings.Repeat("病", 201)}, "医療機関等名称は200文字以内です（201文字あります）"},
		{"name 200", map[int]string{colName: strings.Repeat("病", 200)}, ""},
		{"founder empty", map[int]string{colFounder: ""}, "開設者氏名が空です"},
		{"founder too long", map[int]string{colFounder: strings.Repeat("あ", 201)}, "開設者氏名は200文字以内です"},
		{"postal without hyphen", map[int]string{colPostal: "1000013"}, ""},
		{"postal full-width", map[int]string{colPostal: "１００－００１３"}, ""},
		{"postal short", map[int]string{colPostal: "100-001"}, "郵便番号は7桁の数字です"},
		{"postal empty", map[int]string{colPostal: ""}, "郵便番号が空です"},
		{"address empty", map[int]string{colAddress: ""}, "所在地が空です"},
		{"address too long", map[int]string{colAddress: strings.Repeat("町", 301)}, "所在地は300文字以内です"},
		{"address without prefecture", map[int]string{colAddress: "千代田区霞が関1-2-2"}, ""},
		{"address other prefecture", map[int]string{colAddress: "大阪府大阪市中央区大手前2丁目"},
			"所在地の都道府県（大阪府）が都道府県コード13（東京都）と一致しません"},
		{"phone bare digits", map[int]string{colPhone: "0300001001"}, ""},
		{"phone mobile 11 digits", map[int]string{colPhone: "090-0000-1001"}, ""},
		{"phone full-width", map[int]string{colPhone: "０３－００００－１００１"}, ""},
		{"phone two groups", map[int]string{colPhone: "03-00001001"}, "電話番号は0から始まる"},
		{"phone not 0", map[int]string{colPhone: "33-0000-1001"}, "電話番号は0から始まる"},
		{"phone too short", map[int]string{colPhone: "03-000-100"}, "電話番号は0から始まる"},
		{"phone parentheses", map[int]string{colPhone: "03(0000)1001"}, "電話番号は0から始まる"},
		{"phone empty", map[int]string{colPhone: ""}, "電話番号が空です"},
		{"large chain empty", map[int]string{colLargeChain: ""}, ""},
		{"large chain 2", map[int]string{colLargeChain: "2"}, "大型チェーン薬局は0か1です"},
		{"dental flag yes", map[int]string{colDentalWithMedical: "x"}, "医科併設歯科病院は0か1です"},
		{"pharmacy with 医科", map[int]string{colKind: "薬局"}, "施設種別が薬局のときは点数表コードは4（調剤）です"},
		{"clinic with 調剤", map[int]string{colKind: "診療所", colScoreTable: "4"}, "点数表コード4（調剤）は施設種別が薬局のときだけです"},
		{"pharmacy 調剤", map[int]string{colKind: "薬局", colScoreTable: "4"}, ""},
		{"large chain pharmacy", map[int]string{colKind: "薬局", colScoreTable: "4", colLargeChain: "1"}, ""},
		{"large chain hospital", map[int]string{colLargeChain: "1"}, "大型チェーン薬局を1にできるのは施設種別が薬局のときだけです"},
		{"dental hospital with medical", map[int]string{colScoreTable: "3", colDentalWithMedical: "1"}, ""},
		{"dental flag on 医科 hospital", map[int]string{colDentalWithMedical: "1"}, "医科併設歯科病院を1にできるのは"},
		{"dental flag on clinic", map[int]string{colKind: "診療所", colScoreTable: "3", colDentalWithMedical: "1"}, "医科併設歯科病院を1にできるのは"},
		{"tab in name", map[int]string{colName: "デモ\t病院"}, "医療機関等名称に制御文字"},
		{"bidi override in founder", map[int]string{colFounder: "見本\u202e太郎"}, "開設者氏名に制御文字"},
		{"newline in quoted address", map[int]string{colAddress: "\"東京都千代田区\n霞が関1-2-2\""}, "所在地に制御文字"},
		{"NUL in code", map[int]string{colCode: "01100\x0011"}, "医療機関等コードに制御文字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs, err := Parse(strings.NewReader(header + row(tt.change)))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if len(fs) != 1 {
					t.Fatalf("got %d facilities, want 1", len(fs))
				}
				return
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].Line != 2 || !strings.Contains(ps[0].Reason, tt.want) {
				t.Fatalf("problems = %v, want one at line 2 containing %q", ps, tt.want)
			}
		})
	}
}

func TestParseNormalises(t *testing.T) {
	t.Parallel()
	fs, err := Parse(strings.NewReader(header +
		"１,３, ０１１００１１ ,病院,　デモ北歯科病院　,見本 太郎,０６００００１,北海道札幌市中央区北一条西2丁目,０１１－０００－１００１,,１\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Facility{PrefectureCode: 1, ScoreTableCode: 3, Code: "0110011", Kind: "病院", Name: "デモ北歯科病院",
		FounderName: "見本 太郎", PostalCode: "060-0001", Address: "北海道札幌市中央区北一条西2丁目",
		Phone: "011-000-1001", DentalHospitalWithMedical: true}
	if fs[0] != want {
		t.Fatalf("got  %+v\nwant %+v", fs[0], want)
	}
}

func TestParseHeader(t *testing.T) {
	t.Parallel()
	nine := strings.Join(Columns[:9], ",") + "\n"
	ten := strings.Join(Columns[:10], ",") + "\n"
	tests := []struct {
		name, file string
		ok         bool
	}{
		{"eleven columns", header + row(nil), true},
		{"nine columns", nine + strings.Join(good[:9], ",") + "\n", true},
		{"ten columns", ten + strings.Join(good[:10], ",") + "\n", true},
		{"CRLF", strings.ReplaceAll(header+row(nil), "\n", "\r\n"), true},
		{"eight columns", strings.Join(Columns[:8], ",") + "\n" + strings.Join(good[:8], ",") + "\n", false},
		{"swapped", strings.Replace(header, "郵便番号,所在地", "所在地,郵便番号", 1) + row(nil), false},
		{"extra column", strings.TrimSuffix(header, "\n") + ",備考\n" + row(nil), false},
		{"no header", row(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(strings.NewReader(tt.file))
			if tt.ok {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			ps := problemsOf(t, err)
			if len(ps) != 1 || ps[0].Line != 1 || !strings.HasPrefix(ps[0].Reason, "見出し行が違います") {
				t.Fatalf("problems = %v", ps)
			}
		})
	}
}

func TestParseFileProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []Problem
	}{
		{"empty file", "", []Problem{{0, "ファイルが空です"}}},
		{"UTF-16", "\xff\xfe" + "\x1a\x90", []Problem{{0, "UTF-16（Excelの「Unicode テキスト」）は読めません。" +
			"UTF-8またはShift_JIS（CP932）のCSVで保存してください"}}},
		{"header only", header, []Problem{{0, "取り込む行がありません（見出し行だけです）"}}},
		{"column count", header + row(nil) + "13,1,0110012\n", []Problem{{3, "列の数が3あります（見出し行は11列です）"}}},
		{"bare quote", header + "13,1,01\"10012,病院,a,b,100-0013,c,03-0000-1001,0,0\n" + row(map[int]string{colCode: "0110013"}),
			[]Problem{{2, "CSVとして読めません（「\"」の使い方が正しくありません）"}}},
		{"duplicate key", header + row(nil) + row(map[int]string{colCode: "0110012"}) + row(map[int]string{colName: "別名"}),
			[]Problem{{4, "2行目と同じ施設です（都道府県コード13、点数表コード1、医療機関等コード0110011）"}}},
		{"same code other table is fine", header + row(nil) + row(map[int]string{colScoreTable: "3"}), nil},
		{"blank rows skipped", header + row(nil) + ",,,,,,,,,,\n\n", nil},
		{"several reasons on one row", header + row(map[int]string{colScoreTable: "9", colPhone: "x"}),
			[]Problem{{2, "点数表コードは1、3、4のいずれかです（「9」）"},
				{2, "電話番号は0から始まる10桁か11桁の数字で、「数字-数字-数字」か数字だけで書きます（「x」）"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(strings.NewReader(tt.file))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			ps := problemsOf(t, err)
			if len(ps) != len(tt.want) {
				t.Fatalf("problems = %v, want %v", ps, tt.want)
			}
			for i := range ps {
				if ps[i] != tt.want[i] {
					t.Errorf("problem %d = %v, want %v", i, ps[i], tt.want[i])
				}
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	if got := (Problem{3, "点数表コードは1、3、4のいずれかです"}).String(); got != "3行目: 点数表コードは1、3、4のいずれかです" {
		t.Fatalf("got %q", got)
	}
	err := &ValidationError{Problems: []Problem{{0, "ファイルが空です"}, {2, "x"}}}
	if got := err.Error(); got != "master: 施設マスタに2件の問題があるため取り込みませんでした\nファイルが空です\n2行目: x" {
		t.Fatalf("got %q", got)
	}
}
