package content

import (
	"fmt"
	"strings"
)

// Text renders the document as plain text, for the .txt download: headings underlined,
// steps numbered, tables as one 「項目：内容」 line per row (blank cells as a line to fill).
func (d Document) Text() string {
	var b strings.Builder
	b.WriteString(d.Title + "\n")
	b.WriteString(strings.Repeat("=", 40) + "\n\n")
	for _, s := range d.Sections {
		if s.Heading != "" {
			b.WriteString("■ " + s.Heading + "\n\n")
		}
		for _, p := range s.Paras {
			b.WriteString(p + "\n\n")
		}
		for i, st := range s.Steps {
			fmt.Fprintf(&b, "%d. %s\n", i+1, st)
		}
		if len(s.Steps) > 0 {
			b.WriteString("\n")
		}
		for _, it := range s.Items {
			b.WriteString("・" + it + "\n")
		}
		if len(s.Items) > 0 {
			b.WriteString("\n")
		}
		if t := s.Table; t != nil {
			if t.Caption != "" {
				b.WriteString("【" + t.Caption + "】\n")
			}
			for _, row := range t.Rows {
				if len(row) == 0 {
					continue
				}
				rest := strings.Join(row[1:], "　")
				if strings.TrimSpace(strings.ReplaceAll(rest, "　", "")) == "" && d.Form {
					rest = "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿"
				}
				b.WriteString(row[0] + "：" + rest + "\n")
			}
			b.WriteString("\n")
		}
		for _, n := range s.Notes {
			b.WriteString("※ " + n + "\n")
		}
		if len(s.Notes) > 0 {
			b.WriteString("\n")
		}
	}
	b.WriteString("（" + d.Source + "）\n")
	return strings.ReplaceAll(b.String(), "\n", "\r\n")
}
