package master

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"portal/internal/pref"
)

// Columns is the header of the master file, in order. The last two may be left out.
var Columns = []string{"都道府県コード", "点数表コード", "医療機関等コード", "施設種別", "医療機関等名称",
	"開設者氏名", "郵便番号", "所在地", "電話番号", "大型チェーン薬局", "医科併設歯科病院"}

const (
	colPrefecture = iota
	colScoreTable
	colCode
	colKind
	colName
	colFounder
	colPostal
	colAddress
	colPhone
	colLargeChain
	colDentalWithMedical
)

// requiredColumns is how many columns a header must have at least.
const requiredColumns = colLargeChain

// Length limits, in characters.
const (
	maxName    = 200
	maxAddress = 300
)

type facilityKey struct {
	pref, table int
	code        string
}

// parseRows reads the decoded file; it collects every problem rather than stopping at the first.
func parseRows(text string, opt Options) ([]Facility, []Problem) {
	lines := strings.Count(text, "\n") + 1
	opt.progress(StageCheck, 0, lines)
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true

	header, err := r.Read()
	if err != nil || !headerOK(header) {
		return nil, []Problem{{Line: 1, Reason: "見出し行が違います。1行目は「" + strings.Join(Columns, ",") +
			"」としてください（最後の2列は省略できます）"}}
	}
	ncol := len(header)

	var (
		facilities []Facility
		problems   []Problem
		seen       = make(map[facilityKey]int, len(text)/128)
	)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			problems = append(problems, Problem{Line: pe.StartLine,
				Reason: "CSVとして読めません（「\"」の使い方が正しくありません）"})
			continue
		}
		if err != nil {
			return nil, append(problems, Problem{Reason: "CSVとして読めません: " + err.Error()})
		}
		line, _ := r.FieldPos(0)
		if line%progressEvery == 0 {
			opt.progress(StageCheck, line, lines)
		}
		if blank(rec) {
			continue
		}
		if len(rec) != ncol {
			problems = append(problems, Problem{Line: line,
				Reason: fmt.Sprintf("列の数が%dあります（見出し行は%d列です）", len(rec), ncol)})
			continue
		}
		f, reasons := parseRow(rec)
		for _, reason := range reasons {
			problems = append(problems, Problem{Line: line, Reason: reason})
		}
		if len(reasons) > 0 {
			continue
		}
		k := facilityKey{f.PrefectureCode, f.ScoreTableCode, f.Code}
		if first, dup := seen[k]; dup {
			problems = append(problems, Problem{Line: line, Reason: fmt.Sprintf(
				"%d行目と同じ施設です（都道府県コード%02d、点数表コード%d、医療機関等コード%s）",
				first, f.PrefectureCode, f.ScoreTableCode, f.Code)})
			continue
		}
		seen[k] = line
		facilities = append(facilities, f)
	}
	if len(problems) == 0 && len(facilities) == 0 {
		problems = append(problems, Problem{Line: 0, Reason: "取り込む行がありません（見出し行だけです）"})
	}
	opt.progress(StageCheck, lines, lines)
	return facilities, problems
}

func headerOK(h []string) bool {
	if len(h) < requiredColumns || len(h) > len(Columns) {
		return false
	}
	for i, c := range h {
		if strings.TrimSpace(c) != Columns[i] {
			return false
		}
	}
	return true
}

// blank reports a row whose every cell is empty, as spreadsheets leave at the end.
func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRow checks one row and returns every reason it is wrong.
func parseRow(rec []string) (Facility, []string) {
	var (
		f       Facility
		reasons []string
	)
	bad := func(format string, args ...any) { reasons = append(reasons, fmt.Sprintf(format, args...)) }

	field := make([]string, len(Columns))
	ok := make([]bool, len(Columns))
	for i := range Columns {
		if i >= len(rec) {
			ok[i] = true // omitted optional column
			continue
		}
		if hasControl(rec[i]) {
			bad("%sに制御文字（タブ、改行など）が含まれています", Columns[i])
			continue
		}
		field[i] = strings.TrimSpace(rec[i])
		ok[i] = true
	}

	if ok[colPrefecture] {
		s := halfWidth(field[colPrefecture])
		n, err := strconv.Atoi(s)
		switch {
		case s == "":
			bad("都道府県コードが空です")
			ok[colPrefecture] = false
		case err != nil || len(s) > 2 || pref.Name(n) == "":
			bad("都道府県コードは01～47のいずれかです（「%s」）", clip(s))
			ok[colPrefecture] = false
		default:
			f.PrefectureCode = n
		}
	}
	if ok[colScoreTable] {
		switch s := halfWidth(field[colScoreTable]); s {
		case "1", "3", "4":
			f.ScoreTableCode = int(s[0] - '0')
		case "":
			bad("点数表コードが空です")
			ok[colScoreTable] = false
		default:
			bad("点数表コードは1、3、4のいずれかです（「%s」）", clip(s))
			ok[colScoreTable] = false
		}
	}
	if ok[colCode] {
		s := halfWidth(field[colCode])
		if len(s) == 7 && digits(s) {
			f.Code = s
		} else if s == "" {
			bad("医療機関等コードが空です")
		} else {
			bad("医療機関等コードは7桁の数字です（「%s」）", clip(s))
		}
	}
	if ok[colKind] {
		switch s := field[colKind]; s {
		case KindHospital, KindClinic, KindPharmacy:
			f.Kind = s
		case "":
			bad("施設種別が空です")
			ok[colKind] = false
		default:
			bad("施設種別は病院、診療所、薬局のいずれかです（「%s」）", clip(s))
			ok[colKind] = false
		}
	}
	if ok[colName] {
		f.Name = text(field[colName], "医療機関等名称", maxName, bad)
	}
	if ok[colFounder] {
		f.FounderName = text(field[colFounder], "開設者氏名", maxName, bad)
	}
	if ok[colPostal] {
		s := halfWidth(field[colPostal])
		if len(s) == 8 && s[3] == '-' {
			s = s[:3] + s[4:]
		}
		if len(s) == 7 && digits(s) {
			f.PostalCode = s[:3] + "-" + s[3:]
		} else if s == "" {
			bad("郵便番号が空です")
		} else {
			bad("郵便番号は7桁の数字です（例: 100-0013）（「%s」）", clip(s))
		}
	}
	if ok[colAddress] {
		f.Address = text(field[colAddress], "所在地", maxAddress, bad)
		if p := addressPrefecture(f.Address); p != 0 && ok[colPrefecture] && p != f.PrefectureCode {
			bad("所在地の都道府県（%s）が都道府県コード%02d（%s）と一致しません",
				pref.Name(p), f.PrefectureCode, pref.Name(f.PrefectureCode))
		}
	}
	if ok[colPhone] {
		s := halfWidth(field[colPhone])
		if phoneOK(s) {
			f.Phone = s
		} else if s == "" {
			bad("電話番号が空です")
		} else {
			bad("電話番号は0から始まる10桁か11桁の数字で、「数字-数字-数字」か数字だけで書きます（「%s」）", clip(s))
		}
	}
	if ok[colLargeChain] {
		f.LargeChainPharmacy, ok[colLargeChain] = flag(field[colLargeChain], "大型チェーン薬局", bad)
	}
	if ok[colDentalWithMedical] {
		f.DentalHospitalWithMedical, ok[colDentalWithMedical] = flag(field[colDentalWithMedical], "医科併設歯科病院", bad)
	}

	// Cross-checks, only between columns that are themselves valid.
	if ok[colKind] && ok[colScoreTable] {
		switch {
		case f.Kind == KindPharmacy && f.ScoreTableCode != 4:
			bad("施設種別が薬局のときは点数表コードは4（調剤）です")
		case f.Kind != KindPharmacy && f.ScoreTableCode == 4:
			bad("点数表コード4（調剤）は施設種別が薬局のときだけです")
		}
	}
	if ok[colKind] && ok[colLargeChain] && f.LargeChainPharmacy && f.Kind != KindPharmacy {
		bad("大型チェーン薬局を1にできるのは施設種別が薬局のときだけです")
	}
	if ok[colKind] && ok[colScoreTable] && ok[colDentalWithMedical] && f.DentalHospitalWithMedical &&
		(f.Kind != KindHospital || f.ScoreTableCode != 3) {
		bad("医科併設歯科病院を1にできるのは施設種別が病院で点数表コードが3（歯科）のときだけです")
	}
	return f, reasons
}

// text checks a required free-text column.
func text(s, name string, max int, bad func(string, ...any)) string {
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		bad("%sが空です", name)
	case n > max:
		bad("%sは%d文字以内です（%d文字あります）", name, max, n)
	}
	return s
}

// flag reads 0, 1 or empty (0).
func flag(s, name string, bad func(string, ...any)) (value, ok bool) {
	switch halfWidth(s) {
	case "", "0":
		return false, true
	case "1":
		return true, true
	}
	bad("%sは0か1です（空欄は0）（「%s」）", name, clip(s))
	return false, false
}

// halfWidth turns full-width digits and the dashes people type for hyphens into ASCII.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '－' || r == '‐' || r == '‑' || r == '–' || r == '—' || r == '―' || r == '−' || r == 'ー':
			return '-'
		}
		return r
	}, s)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// phoneOK accepts 0 and 9 or 10 more digits, either bare or as three hyphenated groups.
func phoneOK(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 1 && len(parts) != 3 {
		return false
	}
	n := 0
	for _, p := range parts {
		if !digits(p) {
			return false
		}
		n += len(p)
	}
	return s[0] == '0' && (n == 10 || n == 11)
}

var prefectures = pref.All()

// addressPrefecture returns the code of the prefecture an address begins with, or 0.
func addressPrefecture(addr string) int {
	for _, p := range prefectures {
		if strings.HasPrefix(addr, p.Name) {
			return p.Code
		}
	}
	return 0
}

// hasControl refuses C0/C1 controls, format characters (bidi overrides, zero-width, BOM)
// and line/paragraph separators: none belongs in a name or an address.
func hasControl(s string) bool {
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			return true
		case r < 0x7f, r >= 0x3000 && r < 0xfeff: // ASCII and CJK hold neither
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
			return true
		}
	}
	return false
}

// clip shortens a value quoted back in a message.
func clip(s string) string {
	const max = 20
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
