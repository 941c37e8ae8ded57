package content_test

import (
	"strings"
	"testing"

	"portal/internal/content"
)

func TestFAQHasAllQuestionsInOrder(t *testing.T) {
	t.Parallel()
	n := 0
	for _, c := range content.FAQCategories() {
		for _, f := range c.Items {
			n++
			if f.Number != n {
				t.Fatalf("question %d numbered %d", n, f.Number)
			}
			if f.Question == "" || f.Answer == "" {
				t.Errorf("Q%d is empty", n)
			}
			if (n >= 14) != (c.Slug == "new-facility") {
				t.Errorf("Q%d in category %s", n, c.Slug)
			}
		}
	}
	if n != 18 {
		t.Errorf("%d questions, want 18", n)
	}
}

func joinParts(parts []content.Segment, marked bool) string {
	var b strings.Builder
	for _, p := range parts {
		if p.Match == marked {
			b.WriteString(p.Text)
			b.WriteString("|")
		}
	}
	return b.String()
}

func TestSearchFAQ(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q       string
		numbers []int
		clean   string
	}{
		{q: "", numbers: nil, clean: ""}, // every question; checked below
		{q: "仮コード", numbers: []int{14, 15, 16, 17, 18}},
		{q: "  仮コード　電話番号 ", numbers: []int{16}, clean: "仮コード 電話番号"},
		{q: "ＣＡＰＳ", numbers: []int{10}},           // full-width and case folded
		{q: "かーどりーだー", numbers: []int{2, 14, 17}}, // hiragana finds katakana
		{q: "q13", numbers: []int{13}},
		{q: "存在しない語句", numbers: []int{}},
		{q: "<script>alert(1)</script>", numbers: []int{}},
		{q: "パス\x00ワード\xff\xfe", numbers: []int{10, 11, 12}, clean: "パス ワード"},
	}
	for _, tt := range tests {
		res := content.SearchFAQ(tt.q)
		if tt.clean != "" && res.Query != tt.clean {
			t.Errorf("SearchFAQ(%q).Query = %q, want %q", tt.q, res.Query, tt.clean)
		}
		var got []int
		for _, c := range res.Categories {
			for _, h := range c.Hits {
				got = append(got, h.Number)
			}
		}
		if tt.numbers == nil {
			if len(got) != 18 || res.Count != 18 {
				t.Errorf("empty query found %d, want 18", len(got))
			}
			continue
		}
		if len(got) != len(tt.numbers) || res.Count != len(tt.numbers) {
			t.Errorf("SearchFAQ(%q) = %v, want %v", tt.q, got, tt.numbers)
			continue
		}
		for i := range got {
			if got[i] != tt.numbers[i] {
				t.Errorf("SearchFAQ(%q) = %v, want %v", tt.q, got, tt.numbers)
				break
			}
		}
	}

	res := content.SearchFAQ("caps ロック")
	if res.Count != 0 {
		t.Errorf("terms are ANDed: %d hits", res.Count)
	}
	res = content.SearchFAQ("ｃａｐｓ lock")
	if res.Count != 1 {
		t.Fatalf("caps lock: %d hits", res.Count)
	}
	hit := res.Categories[0].Hits[0]
	if got := joinParts(hit.AnswerParts, true); got != "Caps|lock|lock|" {
		t.Errorf("marked = %q", got)
	}
	var whole strings.Builder
	for _, p := range hit.AnswerParts {
		whole.WriteString(p.Text)
	}
	if whole.String() != hit.Answer {
		t.Error("segments do not add up to the answer")
	}
}

func TestCleanQueryCapsLength(t *testing.T) {
	t.Parallel()
	q := content.CleanQuery(strings.Repeat("あ", 5000))
	if n := len([]rune(q)); n != 100 {
		t.Errorf("cleaned query has %d runes", n)
	}
}
