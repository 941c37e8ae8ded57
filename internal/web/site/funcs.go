package site

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"portal/internal/audience"
	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/jp"
)

// AudienceArgs is the argument of the "audience-fields" template: the choices, the filter
// as chosen and the form's errors.
type AudienceArgs struct {
	Choices audience.Choices
	Filter  audience.Filter
	Errors  form.Errors
}

// ThreadArgs is the argument of the "inquiry-thread" template: a case's entries and the
// path their attachments hang under.
type ThreadArgs struct {
	Messages []inquiry.Message
	FilePath string
}

// YMField is the argument of the "ym" template: a 年/月 pair with its errors.
type YMField struct {
	Errors                             form.Errors
	Year, Month, YearValue, MonthValue string
	Label, Hint                        string
}

// Wareki is the 和暦 of the typed year and month, 「（令和9年4月）」, or "" while they are not a
// month.
func (f YMField) Wareki() string {
	y, ok1 := form.Integer(f.YearValue)
	m, ok2 := form.Integer(f.MonthValue)
	if !ok1 || !ok2 || y < 1900 || y > 2200 || m < 1 || m > 12 {
		return ""
	}
	if w := jp.WarekiYearMonth(y, m); w != "" {
		return "（" + w + "）"
	}
	return ""
}

// ChoiceField is the argument of the "choices" template: one radio group.
type ChoiceField struct {
	Errors             form.Errors
	Name, Value, Label string
	Choices            []string
}

// funcs are the template functions every page may use. Dates are shown one way everywhere
// (package jp): 西暦 with 和暦 beside it, in JST.
var funcs = template.FuncMap{
	"date":      jp.Date,
	"datetime":  jp.DateTime,
	"isodate":   jp.ISODate,
	"yearmonth": jp.YearMonth,
	"dateptr": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return jp.Date(*t)
	},
	"nl2br": func(s string) template.HTML {
		return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(s), "\n", "<br>"))
	},
	// numeq reports whether the number n is written s (a select's option against the value
	// typed), without fmt: a form with the 47 prefectures asks it 47 times.
	"numeq": func(n any, s string) bool {
		switch x := n.(type) {
		case int:
			return strconv.Itoa(x) == s
		case int64:
			return strconv.FormatInt(x, 10) == s
		}
		return fmt.Sprint(n) == s
	},
	// current reports whether the page at path belongs to the menu entry prefix.
	"current": func(path, prefix string) bool {
		return path == prefix || (prefix != "/" && strings.HasPrefix(path, prefix+"/"))
	},
	"ymArgs": func(errs form.Errors, year, month, yv, mv, label, hint string) YMField {
		return YMField{Errors: errs, Year: year, Month: month, YearValue: yv, MonthValue: mv, Label: label, Hint: hint}
	},
	"choiceArgs": func(errs form.Errors, name, value, label string, choices []string) ChoiceField {
		return ChoiceField{Errors: errs, Name: name, Value: value, Label: label, Choices: choices}
	},
	"audienceArgs": func(c audience.Choices, f audience.Filter, errs form.Errors) AudienceArgs {
		return AudienceArgs{Choices: c, Filter: f, Errors: errs}
	},
	"threadArgs": func(msgs []inquiry.Message, filePath string) ThreadArgs {
		return ThreadArgs{Messages: msgs, FilePath: filePath}
	},
	"seq": func(from, to int) []int {
		var out []int
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	},
}
