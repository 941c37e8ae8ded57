package form

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/locales/ja"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	jatrans "github.com/go-playground/validator/v10/translations/ja"
)

// The validator and its Japanese translator are built once: both are safe for concurrent
// use after set-up and building them parses every tag.
var (
	setupOnce sync.Once
	validate  *validator.Validate
	trans     ut.Translator
	errSetup  error
)

// messages replaces the library's Japanese for the rules forms use with the portal's
// wording (the real portal's 「200文字以下で入力してください。」 style). {0} is the field's
// label, {1} the rule's parameter.
var messages = map[string]string{
	"required": "{0}を入力してください。",
	"max":      "{0}は{1}文字以下で入力してください。",
	"min":      "{0}は{1}文字以上で入力してください。",
	"len":      "{0}は{1}文字で入力してください。",
	"email":    "{0}の形式が正しくありません。「info@example.jp」のような形式で入力してください。",
	"eqfield":  "{0}が一致しません。同じ内容を入力してください。",
	"numeric":  "{0}は数字で入力してください。",
	"oneof":    "{0}を選択肢から選択してください。",
	"url":      "{0}はURLの形式で入力してください。",
}

// selectMessages is used instead when the field is a number chosen from a list, where
// "入力" would be the wrong verb.
var selectMessages = map[string]string{
	"required": "{0}を選択してください。",
	"min":      "{0}を選択肢から選択してください。",
	"max":      "{0}を選択肢から選択してください。",
	"oneof":    "{0}を選択肢から選択してください。",
}

func setup() error {
	setupOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			if l := f.Tag.Get("label"); l != "" {
				return l
			}
			return f.Name
		})
		uni := ut.New(ja.New())
		t, _ := uni.GetTranslator("ja")
		if err := jatrans.RegisterDefaultTranslations(v, t); err != nil {
			errSetup = fmt.Errorf("form: register translations: %w", err)
			return
		}
		for tag, msg := range messages {
			register := func(u ut.Translator) error {
				if err := u.Add(tag, msg, true); err != nil {
					return err
				}
				if s, ok := selectMessages[tag]; ok {
					return u.Add(tag+"-select", s, true)
				}
				return nil
			}
			translate := func(u ut.Translator, fe validator.FieldError) string {
				key := fe.Tag()
				if isNumber(fe.Kind()) {
					if _, ok := selectMessages[key]; ok {
						key += "-select"
					}
				}
				s, err := u.T(key, fe.Field(), fe.Param())
				if err != nil {
					return fe.Field() + "の入力内容が正しくありません。"
				}
				return s
			}
			if err := v.RegisterTranslation(tag, t, register, translate); err != nil {
				errSetup = fmt.Errorf("form: register %s: %w", tag, err)
				return
			}
		}
		validate, trans = v, t
	})
	return errSetup
}

func isNumber(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// Validate checks the `validate` tags of the struct s points to and returns one Japanese
// message per failing field, keyed by the field's `form` tag (its HTML name). A struct
// that cannot be validated is a programming error and panics, like a broken template.
func Validate(s any) Errors {
	if err := setup(); err != nil {
		panic(err)
	}
	err := validate.Struct(s)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		panic(fmt.Sprintf("form: validate %T: %v", s, err))
	}
	t := reflect.TypeOf(s)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out Errors
	for _, fe := range verrs {
		out.Add(fieldName(t, fe.StructNamespace()), fe.Translate(trans))
	}
	return out
}

// fieldName finds the `form` tag of the field at the struct namespace ns ("Form.Phone"),
// falling back to the lower-cased Go name.
func fieldName(t reflect.Type, ns string) string {
	parts := strings.Split(ns, ".")
	if len(parts) > 1 {
		parts = parts[1:]
	}
	name := ""
	for _, p := range parts {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			break
		}
		f, ok := t.FieldByName(p)
		if !ok {
			return strings.ToLower(p)
		}
		name = f.Tag.Get("form")
		if name == "" {
			name = strings.ToLower(p)
		}
		t = f.Type
	}
	return name
}
