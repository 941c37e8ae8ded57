// Package postal looks up 郵便番号 (Japanese postal codes): 7 digits → 都道府県, 市区町村 and
// 町域, with several candidates where Japan Post gives one code to several towns.
//
// # Data
//
// Japan Post publishes the 郵便番号データ (KEN_ALL) free of charge and free to redistribute
// (https://www.post.japanpost.jp/zipcode/dl/readme.html). The portal ships a copy so that it
// works offline from the first start: data/postal.bin.gz, embedded in the binary, built by
// the generator in ./gen from the npm package jquery-jpostal-ja 2.14.73 (MIT License,
// Copyright 2014- Aoki Makoto, Ninton G.K.; tarball integrity
// sha512-yuys0Np34p7WsmvVMcwQbkum6njYXdM8Ta22LGpa8xdjMpa/zxmda2Jtowk0T0uuuQSUXfaICACNAOd8dxCM7g==),
// which carries KEN_ALL as JSON. To regenerate it:
//
//	dir=$(mktemp -d) && (cd "$dir" && npm pack jquery-jpostal-ja@2.14.73 && tar xzf jquery-jpostal-ja-2.14.73.tgz)
//	go run ./internal/postal/gen -in "$dir/package" -out internal/postal/data/postal.bin.gz
//
// The output is byte-for-byte reproducible. For a newer package version, change the
// version in both lines and in this comment; the generator records the package version
// and the data date the package carries (json/000.json) as the data's Source.
//
// Only the 町域 records are kept; the package's 事業所個別郵便番号 (codes of single large
// offices, with a street address and office name) are left out, because the monthly update
// (utf_ken_all.csv, see ImportKenAll) does not contain them either.
//
// # Updates
//
// Operators load each month's utf_ken_all.csv with "portal postal import FILE". The rows
// go into PostgreSQL (table postal_codes, replaced in one transaction, and a version
// number in postal_data_version), so every instance of the portal sees the same data: a
// Directory uses the embedded copy until the database holds an imported version and
// reloads its in-memory snapshot when that version changes.
//
// # File format
//
// postal.bin.gz is gzip over: the magic "JPPOSTAL1\n", the source description, a string
// table, and the records sorted by code, each as (code delta, prefecture code, index of the
// 市区町村 string, index of the 町域 string). All integers are unsigned varints and every
// string is a varint length followed by UTF-8 bytes. See Encode and Decode.
package postal

import (
	"errors"
	"strings"
	"unicode/utf8"

	"portal/internal/pref"
)

// ErrInvalidCode means the input is not 7 digits even after normalising (full-width
// digits, hyphens, 〒 and spaces are accepted).
var ErrInvalidCode = errors.New("postal: code must be 7 digits")

// MessageInvalidCode and MessageNotFound are the texts shown to users.
const (
	MessageInvalidCode = "郵便番号は7桁の数字で入力してください。"
	MessageNotFound    = "該当する住所が見つかりませんでした。"
)

// Address is one candidate for a postal code.
type Address struct {
	// PrefectureCode is the JIS X 0401 code of the 都道府県, 1–47.
	PrefectureCode int `json:"prefecture_code"`
	// Prefecture is the 都道府県名, e.g. 東京都.
	Prefecture string `json:"prefecture"`
	// City is the 市区町村名, e.g. 千代田区 or 札幌市中央区.
	City string `json:"city"`
	// Town is the 町域名, e.g. 霞が関; empty where Japan Post names no town for the code.
	Town string `json:"town"`
}

// Line is the address after the prefecture, as a form's 住所 field wants it.
func (a Address) Line() string { return a.City + a.Town }

// Record is one row of postal data as stored: Address with the code and no names that
// can be derived.
type Record struct {
	Code           string // 7 ASCII digits
	PrefectureCode int
	City           string
	Town           string
}

// Address returns the record as a lookup candidate.
func (r Record) Address() Address {
	return Address{PrefectureCode: r.PrefectureCode, Prefecture: pref.Name(r.PrefectureCode), City: r.City, Town: r.Town}
}

// Normalize turns what a user typed into the 7 ASCII digits of a postal code. It accepts
// full-width digits, any kind of hyphen or long vowel mark between the groups, the 〒 mark
// and spaces; anything else, or a number of digits other than 7, is ErrInvalidCode.
func Normalize(input string) (string, error) {
	if len(input) > 64 || !utf8.ValidString(input) {
		return "", ErrInvalidCode
	}
	var b strings.Builder
	b.Grow(7)
	for _, r := range input {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case strings.ContainsRune(ignoredInCode, r):
		default:
			return "", ErrInvalidCode
		}
		if b.Len() > 7 {
			return "", ErrInvalidCode
		}
	}
	if b.Len() != 7 {
		return "", ErrInvalidCode
	}
	return b.String(), nil
}

// ignoredInCode are the separators people type in postal codes: hyphens and dashes of
// every width, katakana long vowel marks (IMEs produce them for "-"), 〒 and spaces.
const ignoredInCode = "-‐‑‒–—―−－ーｰ〒 \u3000\t"

// CleanTown turns a 町域名 as KEN_ALL writes it into what belongs in an address field:
//   - 「以下に掲載がない場合」 and 「○○の次に番地がくる場合」 (and 「…の次に…番地以降がくる場合」)
//     mean "no town name" and become "";
//   - 「○○町一円」 (the whole municipality) becomes "", but the real town 「一円」 stays;
//   - a trailing parenthesised remark is dropped — 「（次のビルを除く）」, 「（地階・階層不明）」,
//     「（１～１９丁目）」, 「（その他）」, lists of 小字 and 番地 —, except a floor of a
//     high-rise building, 「（１階）」, which is kept without the parentheses, as it is
//     what tells that code from its neighbours.
func CleanTown(town string) string {
	town = strings.TrimSpace(town)
	switch {
	case town == "以下に掲載がない場合":
		return ""
	case strings.Contains(town, "の次に") && strings.HasSuffix(town, "がくる場合"):
		return ""
	case strings.HasSuffix(town, "一円") && town != "一円":
		return ""
	}
	if !strings.HasSuffix(town, "）") {
		return town
	}
	open := matchingOpen(town)
	if open < 0 {
		return town
	}
	inner := town[open+len("（") : len(town)-len("）")]
	head := town[:open]
	if isFloor(inner) {
		return head + inner
	}
	return head
}

// matchingOpen returns the byte offset of the "（" that the final "）" of s closes, or -1.
func matchingOpen(s string) int {
	depth := 0
	for i := len(s); i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		switch r {
		case '）':
			depth++
		case '（':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// isFloor reports whether s is a floor such as １階 or 地下１階.
func isFloor(s string) bool {
	s = strings.TrimPrefix(s, "地下")
	digits, ok := strings.CutSuffix(s, "階")
	if !ok || digits == "" {
		return false
	}
	for _, r := range digits {
		if r < '０' || r > '９' {
			return false
		}
	}
	return true
}
