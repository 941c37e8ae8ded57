package content

import (
	"net/url"
	"regexp"
	"strings"
)

// The portal's small markup for お知らせ: what supervisors may write, and nothing that could
// carry a script. Text stays text (the templates escape it); a blank line starts a new
// paragraph, a single line break stays a line break, and two kinds of link are recognised:
//
//	https://example.jp/page         a bare URL (http or https) becomes a link to itself
//	[申請の手引き](https://…/guide)  a link with its own text
//	[カタログ](/catalog)              a link within the portal
//
// Raw HTML is shown as typed. Markup returns structure, not HTML, so escaping stays the
// templates' job (html/template), and only http, https and site-relative targets exist.

// Paragraph is one paragraph: its lines, each a run of spans.
type Paragraph struct {
	Lines [][]Span
}

// Span is a piece of a line: text, and where it links to when Href is set.
type Span struct {
	Text string
	Href string
}

// linkPattern finds [text](target) links and bare http(s) URLs. A bare URL is ASCII only,
// so Japanese text right after it is not swallowed.
var linkPattern = regexp.MustCompile(`\[([^\[\]\n]{1,200})\]\(([^()\s]{1,1000})\)|https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+`)

// blankLine separates paragraphs: an empty line, or one of spaces only.
var blankLine = regexp.MustCompile(`\n[ \t\x{3000}]*\n`)

// Markup splits body into paragraphs and lines and finds the links.
func Markup(body string) []Paragraph {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	var out []Paragraph
	for _, block := range blankLine.Split(body, -1) {
		block = strings.Trim(block, "\n")
		if strings.TrimSpace(block) == "" {
			continue
		}
		var p Paragraph
		for _, line := range strings.Split(block, "\n") {
			p.Lines = append(p.Lines, spans(line))
		}
		out = append(out, p)
	}
	return out
}

// spans cuts one line into text and links.
func spans(line string) []Span {
	var out []Span
	text := func(s string) {
		if s != "" {
			out = append(out, Span{Text: s})
		}
	}
	last := 0
	for _, m := range linkPattern.FindAllStringSubmatchIndex(line, -1) {
		start, end := m[0], m[1]
		if m[2] >= 0 { // [text](target)
			label, target := line[m[2]:m[3]], line[m[4]:m[5]]
			if href, ok := safeHref(target); ok {
				text(line[last:start])
				out = append(out, Span{Text: label, Href: href})
				last = end
			}
			continue
		}
		// A bare URL: sentence punctuation right after it is not part of it.
		raw := strings.TrimRight(line[start:end], ".,;:!?'")
		if href, ok := safeHref(raw); ok {
			text(line[last:start])
			out = append(out, Span{Text: raw, Href: href})
			last = start + len(raw)
		}
	}
	text(line[last:])
	return out
}

// safeHref accepts an absolute http(s) URL with a host, or a path within the portal.
func safeHref(target string) (string, bool) {
	if strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "//") && !strings.Contains(target, `\`) {
		if _, err := url.Parse(target); err == nil {
			return target, true
		}
		return "", false
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	return u.String(), true
}

// PlainText is the body without markup: links as their text followed by the URL, for the
// Atom feed's text content and for mails.
func PlainText(body string) string {
	var b strings.Builder
	for i, p := range Markup(body) {
		if i > 0 {
			b.WriteString("\n\n")
		}
		for j, line := range p.Lines {
			if j > 0 {
				b.WriteString("\n")
			}
			for _, s := range line {
				b.WriteString(s.Text)
				if s.Href != "" && s.Href != s.Text {
					b.WriteString("（" + s.Href + "）")
				}
			}
		}
	}
	return b.String()
}
