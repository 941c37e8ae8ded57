package web

import "portal/internal/form"

// ymField is the argument of the "ym" template: a 年/月 pair with its errors.
type ymField struct {
	Errors                             form.Errors
	Year, Month, YearValue, MonthValue string
	Label, Hint                        string
}

// choiceField is the argument of the "choices" template: one radio group.
type choiceField struct {
	Errors             form.Errors
	Name, Value, Label string
	Choices            []string
}

func init() {
	funcs["ymArgs"] = func(errs form.Errors, year, month, yv, mv, label, hint string) ymField {
		return ymField{Errors: errs, Year: year, Month: month, YearValue: yv, MonthValue: mv, Label: label, Hint: hint}
	}
	funcs["choiceArgs"] = func(errs form.Errors, name, value, label string, choices []string) choiceField {
		return choiceField{Errors: errs, Name: name, Value: value, Label: label, Choices: choices}
	}
	funcs["seq"] = func(from, to int) []int {
		var out []int
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
}
