package form

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean trims surrounding white space, the full-width space U+3000 included, from a
// single-line value. Invalid UTF-8 is replaced by U+FFFD; use Printable to refuse it.
func Clean(s string) string {
	return strings.TrimFunc(strings.ToValidUTF8(s, "\uFFFD"), isSpace)
}

// CleanText is Clean for a multi-line value (a textarea): line ends become "\n" and each
// line keeps its inner spacing.
func CleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return Clean(s)
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' }

// Printable reports whether s is valid UTF-8 free of control and format characters
// (NUL, escape sequences, bidirectional overrides…), which no one types into a form.
// multiline allows line ends and tabs for textareas.
func Printable(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r) && r != '\u200d',
			r >= 0xE000 && r <= 0xF8FF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

// Narrow folds full-width ASCII to ASCII and every typed dash to '-' (for codes and
// numbers that mix letters, digits and hyphens, such as a 申込番号).
func Narrow(s string) string { return narrowASCII(s) }

// narrowASCII folds full-width ASCII (！ to ～) and the ideographic space to ASCII, and
// every dash and long-vowel mark someone might type for a hyphen to '-'.
func narrowASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		case isHyphen(r):
			return '-'
		}
		return r
	}, s)
}

// isHyphen reports whether r is one of the marks typed for a hyphen in numbers:
// ‐ ‑ ‒ – — ― − ー ｰ and the full-width hyphen-minus.
func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '―', '−', 'ー', 'ｰ', '－', '﹣', '⁃':
		return true
	}
	return false
}

// Digits cleans a code made of digits (医療機関等コード, 受付番号…): full-width digits become
// ASCII and spaces and hyphens people type to group digits are dropped. What is not a
// digit stays, so the rule can refuse it.
func Digits(s string) string {
	s = narrowASCII(Clean(s))
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
}

// Phone cleans a telephone number: full-width digits become ASCII, any typed dash becomes
// '-', and the spaces or brackets people use to group digits ("03 1234 5678",
// "(03)1234-5678") become hyphens.
func Phone(s string) string {
	s = narrowASCII(Clean(s))
	var b strings.Builder
	lastHyphen := true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			lastHyphen = false
		case r == '-' || r == ' ' || r == '(' || r == ')':
			if !lastHyphen {
				b.WriteByte('-')
				lastHyphen = true
			}
		default:
			b.WriteRune(r)
			lastHyphen = false
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// PostalCode cleans a 郵便番号 to seven ASCII digits when it is one ("〒１２３－４５６７" →
// "1234567"); anything else is returned cleaned but otherwise as typed.
func PostalCode(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(narrowASCII(Clean(s)), "〒"))
	d := strings.ReplaceAll(strings.ReplaceAll(s, "-", ""), " ", "")
	if len(d) == 7 && strings.Trim(d, "0123456789") == "" {
		return d
	}
	return s
}

// Email cleans an e-mail address: full-width letters, digits and ＠ become ASCII (an IME
// left on full-width is the usual cause), surrounding spaces go.
func Email(s string) string {
	return strings.TrimFunc(strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		if r == '\u3000' {
			return ' '
		}
		return r
	}, Clean(s)), isSpace)
}

// Integer parses a cleaned number typed or selected ("１３" too); ok is false when s is
// not a small non-negative integer.
func Integer(s string) (n int, ok bool) {
	s = narrowASCII(Clean(s))
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}
