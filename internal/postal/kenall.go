package postal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"portal/internal/pref"
)

// ImportError lists every problem found in a utf_ken_all.csv, each prefixed with its line
// number ("12行目: …"). Nothing is imported when a file has any problem.
type ImportError struct {
	Problems []string
	// More counts problems found beyond the listed ones.
	More int
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "postal: utf_ken_all.csv has %d problem(s), nothing was imported:", len(e.Problems)+e.More)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p)
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  ほか%d件", e.More)
	}
	return b.String()
}

const maxProblems = 30

// ParseKenAll reads Japan Post's utf_ken_all.csv (UTF-8, 15 columns; see
// https://www.post.japanpost.jp/zipcode/dl/readme.html) and returns its records in file
// order, or an *ImportError listing every bad line. It normalises what KEN_ALL writes for
// its own bookkeeping:
//   - a 町域名 too long for one row continues on the next rows of the same code, with the
//     opening 「（」 on the first and the closing 「）」 on the last: the rows are joined;
//   - the 町域名 is cleaned with CleanTown (「以下に掲載がない場合」 → "", remarks in
//     parentheses such as 「（次のビルを除く）」 dropped, 「（１階）」 kept as 「１階」);
//   - rows that become identical after that (one per 小字 list entry) are kept once.
//
// The kana columns and the update flags are checked for shape but not kept.
func ParseKenAll(r io.Reader) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var (
		problems  = &ImportError{}
		records   []Record
		pending   *Record // a town whose 「（」 is still open
		pendingAt int
	)
	report := func(line int, format string, args ...any) {
		if len(problems.Problems) >= maxProblems {
			problems.More++
			return
		}
		problems.Problems = append(problems.Problems, fmt.Sprintf("%d行目: ", line)+fmt.Sprintf(format, args...))
	}
	closePending := func() {
		if pending != nil {
			report(pendingAt, "町域名の「（」が閉じられていません（続きの行は同じ郵便番号・市区町村で「）」まで続くはずです: 「%s」）", clip(pending.Town))
			pending = nil
		}
	}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				report(pe.Line, "CSVとして読めません（%v）", pe.Err)
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					continue
				}
			}
			return nil, fmt.Errorf("postal: read utf_ken_all.csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if line == 1 && len(row) > 0 {
			row[0] = strings.TrimPrefix(row[0], "\ufeff")
			if !utf8.ValidString(strings.Join(row, "")) {
				// A Shift_JIS KEN_ALL.CSV: one message instead of one per line.
				return nil, &ImportError{Problems: []string{"1行目: UTF-8として読めません。Shift_JISのKEN_ALL.CSVではなく、UTF-8版のutf_ken_all.csvを指定してください"}}
			}
		}
		rec, ok := checkKenAllRow(line, row, report)
		if !ok {
			continue
		}
		if pending != nil {
			if pending.Code != rec.Code || pending.City != rec.City {
				closePending()
			} else {
				pending.Town += rec.Town
				if parensOpen(pending.Town) {
					continue
				}
				rec = *pending
				pending = nil
				rec.Town = CleanTown(rec.Town)
				records = append(records, rec)
				continue
			}
		}
		if parensOpen(rec.Town) {
			p := rec
			pending, pendingAt = &p, line
			continue
		}
		rec.Town = CleanTown(rec.Town)
		records = append(records, rec)
	}
	closePending()
	if len(problems.Problems) > 0 {
		return nil, problems
	}
	if len(records) == 0 {
		return nil, &ImportError{Problems: []string{"1行目: 郵便番号データが1件もありません"}}
	}
	return records, nil
}

// kenAllColumns names the columns of utf_ken_all.csv for messages.
var kenAllColumns = [15]string{"全国地方公共団体コード", "旧郵便番号", "郵便番号", "都道府県名カナ", "市区町村名カナ",
	"町域名カナ", "都道府県名", "市区町村名", "町域名", "一町域が二以上の郵便番号で表される場合の表示",
	"小字毎に番地が起番されている町域の表示", "丁目を有する町域の場合の表示", "一つの郵便番号で二以上の町域を表す場合の表示",
	"更新の表示", "変更理由"}

// checkKenAllRow validates one row and returns its record, with the raw 町域名.
func checkKenAllRow(line int, row []string, report func(int, string, ...any)) (Record, bool) {
	if len(row) != 15 {
		report(line, "項目の数が%d個です（utf_ken_all.csvは15個です）", len(row))
		return Record{}, false
	}
	ok := true
	for i, f := range row {
		if !utf8.ValidString(f) {
			report(line, "%d列目（%s）がUTF-8として読めません（Shift_JISのKEN_ALL.CSVではなく、UTF-8版のutf_ken_all.csvを指定してください）", i+1, kenAllColumns[i])
			return Record{}, false
		}
		if strings.ContainsFunc(f, unicode.IsControl) || len(f) > 1000 {
			report(line, "%d列目（%s）に使えない文字が含まれているか、長すぎます", i+1, kenAllColumns[i])
			ok = false
		}
	}
	if !ok {
		return Record{}, false
	}
	jis, code, prefName, city, town := row[0], row[2], row[6], row[7], row[8]
	p := pref.Code(prefName)
	if p == 0 {
		report(line, "都道府県名「%s」が47都道府県のどれでもありません", clip(prefName))
		ok = false
	}
	if !allDigits(jis, 5) {
		report(line, "全国地方公共団体コード「%s」が5桁の数字ではありません", clip(jis))
		ok = false
	} else if p != 0 && jis[:2] != fmt.Sprintf("%02d", p) {
		report(line, "全国地方公共団体コード「%s」が都道府県名「%s」と合いません", jis, prefName)
		ok = false
	}
	if !allDigits(code, 7) {
		report(line, "郵便番号「%s」が7桁の数字ではありません", clip(code))
		ok = false
	}
	if strings.TrimSpace(city) == "" {
		report(line, "市区町村名が空です")
		ok = false
	}
	for i, max := range [15]byte{9: '1', 10: '1', 11: '1', 12: '1', 13: '2', 14: '6'} {
		if max == 0 {
			continue
		}
		if f := row[i]; len(f) != 1 || f[0] < '0' || f[0] > max {
			report(line, "%d列目（%s）が「%s」です（0〜%cのはずです）", i+1, kenAllColumns[i], clip(f), max)
			ok = false
		}
	}
	return Record{Code: code, PrefectureCode: p, City: strings.TrimSpace(city), Town: strings.TrimSpace(town)}, ok
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parensOpen reports whether s has more 「（」 than 「）」.
func parensOpen(s string) bool { return strings.Count(s, "（") > strings.Count(s, "）") }

// clip shortens a value quoted in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}
