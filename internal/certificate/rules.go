package certificate

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"portal/internal/form"
)

// FieldPurpose and FieldName name row i's (1-based) fields in the form.
func FieldPurpose(i int) string { return fmt.Sprintf("purpose%d", i) }

// FieldName names row i's name field.
func FieldName(i int) string { return fmt.Sprintf("name%d", i) }

// MaxName is the longest name of a certificate.
const MaxName = 50

// Messages beside the fields.
const (
	msgNone       = "電子証明書を申請するパソコンの用途と名称を入力してください。"
	msgPurpose    = "用途を選択してください。"
	msgName       = "パソコンの名称を入力してください（例：受付端末1）。"
	msgNameLong   = "名称は50文字以下で入力してください。"
	msgNameTwice  = "同じ名称が複数あります。パソコンごとに異なる名称を入力してください。"
	msgNameInUse  = "この名称の電子証明書がすでにあります。別の名称を入力してください。"
	msgTooMany    = "1医療機関等で利用できる電子証明書は%d件までです（利用中%d件）。"
	msgRowsInline = "一度に申請できるのは%d件までです。"
)

// Validate checks in; live are the names of the facility's certificates in use. It returns
// the message for each wrong field, keyed by field name.
func Validate(in Input, live []string) form.Errors {
	var errs form.Errors
	if len(in.Requests) > Rows {
		errs.Add(FieldName(1), fmt.Sprintf(msgRowsInline, Rows))
		return errs
	}
	seen := map[string]bool{}
	used := 0
	for i, r := range in.Requests {
		n := i + 1
		if !r.Used() {
			continue
		}
		used++
		if !slices.Contains(Purposes, r.Purpose) {
			errs.Add(FieldPurpose(n), msgPurpose)
		}
		switch {
		case r.Name == "":
			errs.Add(FieldName(n), msgName)
		case utf8.RuneCountInString(r.Name) > MaxName:
			errs.Add(FieldName(n), msgNameLong)
		case seen[r.Name]:
			errs.Add(FieldName(n), msgNameTwice)
		case slices.Contains(live, r.Name):
			errs.Add(FieldName(n), msgNameInUse)
		}
		seen[r.Name] = true
	}
	switch {
	case used == 0:
		errs.Add(FieldPurpose(1), msgNone)
	case len(live)+used > MaxLive:
		errs.Add(FieldName(1), fmt.Sprintf(msgTooMany, MaxLive, len(live)))
	}
	return errs
}
