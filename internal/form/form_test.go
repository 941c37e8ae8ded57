package form_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"portal/internal/form"
)

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"  山田 太郎  ", "山田 太郎"},
		{"\u3000山田\u3000太郎\u3000", "山田\u3000太郎"},
		{"\t値\n", "値"},
		{"\u200b値\ufeff", "値"},
		{"", ""},
		{"a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		if got := form.Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := form.CleanText(" 一行目\r\n二行目\r三行目 "); got != "一行目\n二行目\n三行目" {
		t.Errorf("CleanText = %q", got)
	}
}

func TestPrintable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		multiline bool
		want      bool
	}{
		{"サンプル医療機関 <script>", false, true},
		{"a\x00b", false, false},
		{"a\x1b[31mb", false, false},
		{"a\nb", false, false},
		{"a\nb\tc", true, true},
		{"a\x7fb", true, false},
		{"a\u0085b", true, false},
		{"a\u202eb", false, false},
		{"\xff\xfe", false, false},
		{"a\uFFFDb", false, false},
		{"👨\u200d👩", false, true},
	}
	for _, tt := range tests {
		if got := form.Printable(tt.in, tt.multiline); got != tt.want {
			t.Errorf("Printable(%q, %v) = %v, want %v", tt.in, tt.multiline, got, tt.want)
		}
	}
}

func TestNormalisers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"digits full-width", form.Digits, "１２３４５６７", "1234567"},
		{"digits spaces and hyphens", form.Digits, " 123-4567 ", "1234567"},
		{"digits long vowel", form.Digits, "１２３ー４５６７", "1234567"},
		{"digits keeps letters", form.Digits, "12a4567", "12a4567"},
		{"phone full-width", form.Phone, "０３－１２３４－５６７８", "03-1234-5678"},
		{"phone katakana dash", form.Phone, "03ー1234ー5678", "03-1234-5678"},
		{"phone half-width katakana dash", form.Phone, "03ｰ1234ｰ5678", "03-1234-5678"},
		{"phone minus sign", form.Phone, "03−1234−5678", "03-1234-5678"},
		{"phone horizontal bar", form.Phone, "03―1234―5678", "03-1234-5678"},
		{"phone hyphen", form.Phone, "03‐1234‐5678", "03-1234-5678"},
		{"phone spaces", form.Phone, "03 1234 5678", "03-1234-5678"},
		{"phone brackets", form.Phone, "(03)1234-5678", "03-1234-5678"},
		{"phone ideographic space", form.Phone, "\u300003\u30001234\u30005678\u3000", "03-1234-5678"},
		{"phone doubled hyphen", form.Phone, "03--1234-5678", "03-1234-5678"},
		{"phone keeps letters", form.Phone, "03-abcd-5678", "03-abcd-5678"},
		{"postal full-width", form.PostalCode, "〒１０５－０００４", "1050004"},
		{"postal plain", form.PostalCode, "1050004", "1050004"},
		{"postal space", form.PostalCode, " 105 0004 ", "1050004"},
		{"postal wrong kept", form.PostalCode, "105-00", "105-00"},
		{"email full-width", form.Email, "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ", "info@example.jp"},
		{"email spaces", form.Email, "\u3000info@example.jp ", "info@example.jp"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: %q → %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestInteger(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"13": 13, "１３": 13, " 4 ": 4} {
		if n, ok := form.Integer(in); !ok || n != want {
			t.Errorf("Integer(%q) = %d, %v", in, n, ok)
		}
	}
	for _, in := range []string{"", "-1", "1e3", "99999999999", "十三"} {
		if _, ok := form.Integer(in); ok {
			t.Errorf("Integer(%q) accepted", in)
		}
	}
}

func TestInput(t *testing.T) {
	t.Parallel()
	in := form.NewInput(url.Values{
		"name":  {"  サンプル医療機関 "},
		"nul":   {"a\x00b"},
		"bad":   {"\xff"},
		"long":  {strings.Repeat("あ", form.MaxField+1)},
		"pw":    {" pass word1 "},
		"note":  {"一\r\n二"},
		"pref":  {"１３"},
		"code":  {"１２３４５６７"},
		"tel":   {"０３－１２３４－５６７８"},
		"zip":   {"１０５－０００４"},
		"mail":  {"ａ＠ｂ．ｊｐ"},
		"check": {"on"},
	})
	if got := in.Text("name"); got != "サンプル医療機関" {
		t.Errorf("Text = %q", got)
	}
	for _, f := range []string{"nul", "bad"} {
		if got := in.Text(f); got != "" {
			t.Errorf("Text(%s) = %q, want refused", f, got)
		}
		if in.Errors[f] != form.MsgUnprintable {
			t.Errorf("Errors[%s] = %q", f, in.Errors[f])
		}
	}
	if got := in.Text("long"); got != "" || in.Errors["long"] != form.MsgTooLong {
		t.Errorf("long: %q %q", got, in.Errors["long"])
	}
	if got := in.Password("pw"); got != " pass word1 " {
		t.Errorf("Password = %q, want as typed", got)
	}
	if got := in.Multiline("note"); got != "一\n二" {
		t.Errorf("Multiline = %q", got)
	}
	if got := in.Int("pref"); got != 13 {
		t.Errorf("Int = %d", got)
	}
	if got := in.Int("missing"); got != 0 {
		t.Errorf("Int(missing) = %d", got)
	}
	if got := in.Digits("code"); got != "1234567" {
		t.Errorf("Digits = %q", got)
	}
	if got := in.Phone("tel"); got != "03-1234-5678" {
		t.Errorf("Phone = %q", got)
	}
	if got := in.PostalCode("zip"); got != "1050004" {
		t.Errorf("PostalCode = %q", got)
	}
	if got := in.Email("mail"); got != "a@b.jp" {
		t.Errorf("Email = %q", got)
	}
	if !in.Bool("check") || in.Bool("missing") {
		t.Error("Bool")
	}
	if len(in.Errors) != 3 {
		t.Errorf("Errors = %v, want nul, bad and long only", in.Errors)
	}
}

type sample struct {
	Name   string `form:"name" label:"医療機関等名" validate:"required,max=5"`
	Code   string `form:"code" label:"医療機関等コード" validate:"len=7"`
	Mail   string `form:"mail" label:"メールアドレス" validate:"required,email"`
	Pref   int    `form:"prefecture" label:"都道府県" validate:"required,min=1,max=47"`
	Kind   int    `form:"kind" label:"点数表コード" validate:"oneof=1 3 4"`
	Inner  inner
	NoForm string `label:"備考" validate:"required"`
}

type inner struct {
	Phone string `form:"phone" label:"電話番号" validate:"required"`
}

func TestValidate(t *testing.T) {
	t.Parallel()
	got := form.Validate(&sample{Name: "あいうえおか", Code: "123", Mail: "not-mail", Pref: 48, Kind: 2})
	want := form.Errors{
		"name":       "医療機関等名は5文字以下で入力してください。",
		"code":       "医療機関等コードは7文字で入力してください。",
		"mail":       "メールアドレスの形式が正しくありません。「info@example.jp」のような形式で入力してください。",
		"prefecture": "都道府県を選択肢から選択してください。",
		"kind":       "点数表コードを選択肢から選択してください。",
		"phone":      "電話番号を入力してください。",
		"noform":     "備考を入力してください。",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Validate =\n%v\nwant\n%v", got, want)
	}
	got = form.Validate(&sample{})
	if got["name"] != "医療機関等名を入力してください。" || got["prefecture"] != "都道府県を選択してください。" {
		t.Errorf("empty: %v", got)
	}
	ok := form.Validate(&sample{Name: "あいう", Code: "1234567", Mail: "a@example.jp", Pref: 13, Kind: 3,
		Inner: inner{Phone: "03-1234-5678"}, NoForm: "x"})
	if !ok.Valid() {
		t.Errorf("valid struct: %v", ok)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	var e form.Errors
	if !e.Valid() || e.Has("a") {
		t.Fatal("nil Errors not empty")
	}
	e.Add("b", "Bのエラー")
	e.Add("b", "二つ目は無視")
	e.Add("a", "Aのエラー")
	e.Add("z", "Zのエラー")
	if e["b"] != "Bのエラー" || e.Valid() || !e.Has("a") {
		t.Fatalf("Add: %v", e)
	}
	var m form.Errors
	m.Add("a", "上書きしない")
	m.Merge(e)
	if m["a"] != "上書きしない" || m["z"] != "Zのエラー" {
		t.Errorf("Merge: %v", m)
	}
	items := e.Items("z", "b", "missing")
	ids := []string{}
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if !reflect.DeepEqual(ids, []string{"z", "b", "a"}) {
		t.Errorf("Items order = %v", ids)
	}
	if f := e.Field("a", "a-hint"); f.DescribedBy != "a-hint a-error" || f.Message != "Aのエラー" {
		t.Errorf("Field(a) = %+v", f)
	}
	if f := e.Field("ok", "ok-hint"); f.DescribedBy != "ok-hint" || f.Message != "" {
		t.Errorf("Field(ok) = %+v", f)
	}
	if f := e.Field("ok"); f.DescribedBy != "" {
		t.Errorf("Field(ok) no hint = %+v", f)
	}
}
