package master

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decode turns the file into text. A file that is valid UTF-8 is UTF-8; otherwise it is
// read as CP932 (x/text's ShiftJIS is Windows-31J, NEC and IBM extensions included). A file
// that is neither is refused with the lines that cannot be read, counted in the encoding
// that fits better, so one stray byte in a UTF-8 file is reported as such.
func decode(raw []byte) (string, []Problem) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return "", []Problem{{Line: 0, Reason: "ファイルが空です"}}
	}
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		return "", []Problem{{Line: 0, Reason: "UTF-16（Excelの「Unicode テキスト」）は読めません。" +
			"UTF-8またはShift_JIS（CP932）のCSVで保存してください"}}
	}
	if bytes.HasPrefix(raw, utf8BOM) {
		raw = raw[len(utf8BOM):]
		if utf8.Valid(raw) {
			return string(raw), nil
		}
		return "", unreadable(badUTF8Lines(raw), "UTF-8")
	}
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	var (
		text    strings.Builder
		badSJIS []int
	)
	text.Grow(len(raw) * 3 / 2)
	dec := japanese.ShiftJIS.NewDecoder()
	for i, line := range bytes.SplitAfter(raw, []byte("\n")) {
		out, err := dec.Bytes(line)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			badSJIS = append(badSJIS, i+1)
			continue
		}
		text.Write(out)
	}
	if len(badSJIS) == 0 {
		return text.String(), nil
	}
	if badUTF := badUTF8Lines(raw); len(badUTF) <= len(badSJIS) {
		return "", unreadable(badUTF, "UTF-8")
	}
	return "", unreadable(badSJIS, "Shift_JIS")
}

func badUTF8Lines(raw []byte) []int {
	var bad []int
	for i, line := range bytes.SplitAfter(raw, []byte("\n")) {
		if !utf8.Valid(line) {
			bad = append(bad, i+1)
		}
	}
	return bad
}

func unreadable(lines []int, guess string) []Problem {
	reason := "文字コードが正しくありません。UTF-8またはShift_JIS（CP932）で保存してください（" +
		guess + "として読めない文字があります）"
	ps := make([]Problem, len(lines))
	for i, l := range lines {
		ps[i] = Problem{Line: l, Reason: reason}
	}
	return ps
}
