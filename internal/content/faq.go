package content

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pages of the account area the FAQ answers point to. They live here, beside the
// answers that name them, so one edit moves both when the account routes change.
const (
	PasswordResetPath = "/password/forgot"
	EmailChangePath   = "/account/email"
)

// Limits on a search query: longer input is cut, not refused, so a pasted paragraph
// still finds something.
const (
	maxQueryRunes = 100
	maxTerms      = 8
)

// Segment is a piece of text that either matched a search term or did not; pages wrap
// matched pieces in <mark>, and the template escapes both, so highlighting adds no markup
// of the user's.
type Segment struct {
	Text  string
	Match bool
}

// FAQHit is a question that matched, with its question and answer cut into segments.
type FAQHit struct {
	FAQ
	QuestionParts []Segment
	AnswerParts   []Segment
}

// FAQHitCategory is a category with the questions of it that matched.
type FAQHitCategory struct {
	Slug  string
	Title string
	Hits  []FAQHit
}

// FAQResult is what SearchFAQ found.
type FAQResult struct {
	// Query is the cleaned query, fit to show again in the search box.
	Query string
	// Terms are the words every hit contains (all of them, in any order).
	Terms []string
	// Categories hold the hits; a category without hits is left out.
	Categories []FAQHitCategory
	// Count is the number of hits.
	Count int
}

// CleanQuery makes a query safe to search and show: invalid UTF-8 and control characters
// are dropped, runs of spaces become one, and it is cut to maxQueryRunes.
func CleanQuery(q string) string {
	q = strings.ToValidUTF8(q, "")
	var b strings.Builder
	n := 0
	space := false
	for _, r := range q {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError {
			space = true
			continue
		}
		if unicode.Is(unicode.Cf, r) { // zero-width and direction marks
			continue
		}
		if n >= maxQueryRunes {
			break
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			n++
		}
		space = false
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// SearchFAQ returns the questions containing every word of q (in the question, the
// answer or as 「Q<n>」). Matching ignores case, full-width/half-width differences of
// letters and digits, and hiragana/katakana. An empty q returns every question.
func SearchFAQ(q string) FAQResult {
	res := FAQResult{Query: CleanQuery(q)}
	seen := map[string]bool{}
	var folded [][]rune
	for _, t := range strings.Fields(res.Query) {
		f := foldString(t)
		if seen[string(f)] {
			continue
		}
		seen[string(f)] = true
		res.Terms = append(res.Terms, t)
		folded = append(folded, f)
		if len(res.Terms) == maxTerms {
			break
		}
	}
	for _, c := range faqCategories {
		hc := FAQHitCategory{Slug: c.Slug, Title: c.Title}
		for _, f := range c.Items {
			if !faqMatches(f, folded) {
				continue
			}
			hc.Hits = append(hc.Hits, FAQHit{
				FAQ:           f,
				QuestionParts: highlight(f.Question, folded),
				AnswerParts:   highlight(f.Answer, folded),
			})
		}
		if len(hc.Hits) > 0 {
			res.Categories = append(res.Categories, hc)
			res.Count += len(hc.Hits)
		}
	}
	return res
}

func faqMatches(f FAQ, terms [][]rune) bool {
	hay := foldString("Q" + strconv.Itoa(f.Number) + "\n" + f.Question + "\n" + f.Answer)
	for _, t := range terms {
		if indexRunes(hay, t, 0) < 0 {
			return false
		}
	}
	return true
}

// Highlight cuts text into segments, marking every occurrence of any of terms with the
// same folding as SearchFAQ.
func Highlight(text string, terms []string) []Segment {
	folded := make([][]rune, 0, len(terms))
	for _, t := range terms {
		if t = CleanQuery(t); t != "" {
			folded = append(folded, foldString(t))
		}
	}
	return highlight(text, folded)
}

func highlight(text string, terms [][]rune) []Segment {
	orig := []rune(text)
	hay := foldRunes(orig)
	mark := make([]bool, len(orig))
	for _, t := range terms {
		if len(t) == 0 {
			continue
		}
		for i := indexRunes(hay, t, 0); i >= 0; i = indexRunes(hay, t, i+len(t)) {
			for k := i; k < i+len(t); k++ {
				mark[k] = true
			}
		}
	}
	var segs []Segment
	start := 0
	for i := 1; i <= len(orig); i++ {
		if i == len(orig) || mark[i] != mark[start] {
			segs = append(segs, Segment{Text: string(orig[start:i]), Match: mark[start]})
			start = i
		}
	}
	return segs
}

// indexRunes is strings.Index over rune slices, from position from.
func indexRunes(hay, needle []rune, from int) int {
	if len(needle) == 0 {
		return -1
	}
outer:
	for i := from; i+len(needle) <= len(hay); i++ {
		for k, r := range needle {
			if hay[i+k] != r {
				continue outer
			}
		}
		return i
	}
	return -1
}

func foldString(s string) []rune { return foldRunes([]rune(s)) }

// foldRunes maps each rune to one rune, so a match's position in the folded text is its
// position in the original: full-width ASCII to ASCII, the ideographic space to a space,
// hiragana to katakana, then lower case.
func foldRunes(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		case r >= 0x3041 && r <= 0x3096:
			r += 0x60
		}
		out[i] = unicode.ToLower(r)
	}
	return out
}
