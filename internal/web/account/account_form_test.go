package account

import (
	"net/url"
	"strings"
	"testing"

	"portal/internal/accountform"
	"portal/internal/form"
)

// TestReadProfileEdit covers every rule of a registered facility's アカウント情報編集.
func TestReadProfileEdit(t *testing.T) {
	t.Parallel()
	good := func() url.Values {
		return url.Values{"name": {"テスト診療所"}, "founder_name": {"試験太郎"}, "phone": {"03-1234-5678"}, "contact_name": {"担当花子"}}
	}
	with := func(k, v string) url.Values { u := good(); u.Set(k, v); return u }
	tests := []struct {
		name   string
		values url.Values
		field  string // "" when valid
		msg    string
		phone  string // the cleaned phone when valid
	}{
		{"valid", good(), "", "", "03-1234-5678"},
		{"full-width phone is normalised", with("phone", "０３（１２３４）５６７８"), "", "", "03-1234-5678"},
		{"spaces around are trimmed", with("name", "　テスト診療所 "), "", "", "03-1234-5678"},
		{"name required", with("name", " "), "name", "医療機関等名を入力してください。", ""},
		{"name at most 200", with("name", strings.Repeat("あ", 201)), "name", "医療機関等名は200文字以下で入力してください。", ""},
		{"name of 200 is fine", with("name", strings.Repeat("あ", 200)), "", "", "03-1234-5678"},
		{"founder required", with("founder_name", ""), "founder_name", "開設者氏名を入力してください。", ""},
		{"founder at most 200", with("founder_name", strings.Repeat("x", 201)), "founder_name", "開設者氏名は200文字以下で入力してください。", ""},
		{"phone required", with("phone", ""), "phone", "電話番号を入力してください。", ""},
		{"phone without hyphens", with("phone", "0312345678"), "phone", accountform.MsgPhone, ""},
		{"phone with letters", with("phone", "03-1234-abcd"), "phone", accountform.MsgPhone, ""},
		{"contact required", with("contact_name", ""), "contact_name", "担当者名を入力してください。", ""},
		{"contact still 支払基金", with("contact_name", "支払基金"), "contact_name", accountform.MsgContactIsFund, ""},
		{"control characters", with("name", "a\x1b[31mb"), "name", form.MsgUnprintable, ""},
		{"invalid UTF-8", with("founder_name", "\xff\xfe"), "founder_name", form.MsgUnprintable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, errs := readProfileEdit(tt.values)
			if tt.field == "" {
				if !errs.Valid() {
					t.Fatalf("errors %v", errs)
				}
				if d.Phone != tt.phone {
					t.Errorf("phone %q, want %q", d.Phone, tt.phone)
				}
				return
			}
			if got := errs[tt.field]; got != tt.msg {
				t.Errorf("%s: %q, want %q (all: %v)", tt.field, got, tt.msg, errs)
			}
		})
	}
}
