package facility

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// foldMap is the character table of Fold after NFKC, the same as the migration's
// portal_fold: hiragana to katakana, small ヵヶ to カケ, variant kanji to the common form,
// and -1 (dropped) for spaces and the middle dot.
var foldMap = func() map[rune]rune {
	m := map[rune]rune{}
	for h := rune(0x3041); h <= 0x3096; h++ { // ぁ … ゖ
		k := h + 0x60
		switch k {
		case 'ヵ':
			k = 'カ'
		case 'ヶ':
			k = 'ケ'
		}
		m[h] = k
	}
	src, dst := []rune("ゝゞヵヶ髙﨑嶋邊邉濵濱澤齋齊"), []rune("ヽヾカケ高崎島辺辺浜浜沢斎斉")
	for i := range src {
		m[src[i]] = dst[i]
	}
	m[' '], m['・'] = -1, -1
	return m
}()

// Fold is how the search compares names, the same as PostgreSQL's portal_fold (migration
// 00040) so that a query folded here finds the names folded there: NFKC (full-width ASCII to
// ASCII, half-width katakana to full-width with its voiced marks), ASCII lower case,
// hiragana to katakana, a few kanji variants to their common form (髙→高, 﨑→崎, 邊→辺 …),
// and no spaces or middle dots. So 「ﾃﾞﾓ　くりにっく」 and 「デモクリニック」 are one name.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		if to, ok := foldMap[r]; ok {
			return to
		}
		return r
	}, s)
}
