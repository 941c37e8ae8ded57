package accountform_test

import (
	"net/url"
	"strings"
	"testing"

	af "portal/internal/accountform"
	"portal/internal/form"
)

// validRegistration is a registration form every rule accepts; each case changes one field.
func validRegistration() url.Values {
	return url.Values{
		"prefecture":       {"13"},
		"score_table":      {"1"},
		"facility_code":    {"1234567"},
		"name":             {"サンプル医療機関"},
		"founder_name":     {"サンプル太郎"},
		"phone":            {"03-1234-5678"},
		"contact_name":     {"山田花子"},
		"password":         {"Passw0rd"},
		"password_confirm": {"Passw0rd"},
	}
}

type ruleCase struct {
	name  string
	set   map[string]string
	field string // "" when the form must be accepted
	msg   string
}

func run(t *testing.T, base func() url.Values, read func(url.Values) form.Errors, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := base()
			for k, s := range tc.set {
				v.Set(k, s)
			}
			errs := read(v)
			if tc.field == "" {
				if !errs.Valid() {
					t.Fatalf("want accepted, got %v", errs)
				}
				return
			}
			if got := errs[tc.field]; got != tc.msg {
				t.Fatalf("Errors[%s] = %q, want %q (all: %v)", tc.field, got, tc.msg, errs)
			}
			if len(errs) != 1 {
				t.Errorf("want only %s wrong, got %v", tc.field, errs)
			}
		})
	}
}

func TestRegistrationRules(t *testing.T) {
	t.Parallel()
	const email = "info@clinic.example.jp"
	long := strings.Repeat("医", 201)
	cases := []ruleCase{
		{"valid", nil, "", ""},
		{"valid 200 characters", map[string]string{"name": strings.Repeat("医", 200), "founder_name": strings.Repeat("開", 200)}, "", ""},
		{"valid full-width code and phone", map[string]string{"facility_code": "１２３４５６７", "phone": "０３－１２３４－５６７８"}, "", ""},
		{"valid mobile", map[string]string{"phone": "090-1234-5678"}, "", ""},
		{"valid free dial", map[string]string{"phone": "0800-080-4583"}, "", ""},
		{"valid 歯科 and 調剤", map[string]string{"score_table": "3"}, "", ""},
		{"valid 調剤", map[string]string{"score_table": "4", "prefecture": "47"}, "", ""},
		{"valid 北海道", map[string]string{"prefecture": "1"}, "", ""},
		{"valid 64 char password", map[string]string{"password": strings.Repeat("a1", 32), "password_confirm": strings.Repeat("a1", 32)}, "", ""},
		{"valid 10-digit code", map[string]string{"facility_code": "1311234567"}, "", ""},
		{"valid 10-digit code fills the selects", map[string]string{"prefecture": "", "score_table": "", "facility_code": "１３１-１２３４５６７"}, "", ""},
		{"10-digit code of another prefecture", map[string]string{"facility_code": "1411234567"}, "facility_code", af.MsgFacilityCode10},
		{"10-digit code of another 点数表", map[string]string{"facility_code": "1331234567"}, "facility_code", af.MsgFacilityCode10},
		{"10-digit code with a bad prefecture", map[string]string{"prefecture": "", "facility_code": "9911234567"}, "prefecture", "都道府県を選択肢から選択してください。"},
		{"prefecture missing", map[string]string{"prefecture": ""}, "prefecture", "都道府県を選択してください。"},
		{"prefecture 0", map[string]string{"prefecture": "0"}, "prefecture", "都道府県を選択してください。"},
		{"prefecture 48", map[string]string{"prefecture": "48"}, "prefecture", "都道府県を選択肢から選択してください。"},
		{"prefecture text", map[string]string{"prefecture": "東京都"}, "prefecture", "都道府県を選択してください。"},
		{"score table missing", map[string]string{"score_table": ""}, "score_table", "点数表コードを選択してください。"},
		{"score table 2", map[string]string{"score_table": "2"}, "score_table", "点数表コードを選択肢から選択してください。"},
		{"code missing", map[string]string{"facility_code": "  "}, "facility_code", "医療機関等コードを入力してください。"},
		{"code 6 digits", map[string]string{"facility_code": "123456"}, "facility_code", af.MsgFacilityCode},
		{"code 8 digits", map[string]string{"facility_code": "12345678"}, "facility_code", af.MsgFacilityCode},
		{"code letters", map[string]string{"facility_code": "12345a7"}, "facility_code", af.MsgFacilityCode},
		{"code kanji digits", map[string]string{"facility_code": "一二三四五六七"}, "facility_code", af.MsgFacilityCode},
		{"name missing", map[string]string{"name": "\u3000"}, "name", "医療機関等名を入力してください。"},
		{"name 201", map[string]string{"name": long}, "name", "医療機関等名は200文字以下で入力してください。"},
		{"name control char", map[string]string{"name": "医療\x00機関"}, "name", form.MsgUnprintable},
		{"name invalid utf-8", map[string]string{"name": "\xff\xfe"}, "name", form.MsgUnprintable},
		{"founder missing", map[string]string{"founder_name": ""}, "founder_name", "開設者氏名を入力してください。"},
		{"founder 201", map[string]string{"founder_name": long}, "founder_name", "開設者氏名は200文字以下で入力してください。"},
		{"phone missing", map[string]string{"phone": ""}, "phone", "電話番号を入力してください。"},
		{"phone no hyphens", map[string]string{"phone": "0312345678"}, "phone", af.MsgPhone},
		{"phone two parts", map[string]string{"phone": "03-12345678"}, "phone", af.MsgPhone},
		{"phone letters", map[string]string{"phone": "03-abcd-5678"}, "phone", af.MsgPhone},
		{"phone too few digits", map[string]string{"phone": "03-123-456"}, "phone", af.MsgPhone},
		{"phone too many digits", map[string]string{"phone": "090-12345-6789"}, "phone", af.MsgPhone},
		{"phone no leading zero", map[string]string{"phone": "33-1234-5678"}, "phone", af.MsgPhone},
		{"phone four parts", map[string]string{"phone": "03-12-34-5678"}, "phone", af.MsgPhone},
		{"phone huge", map[string]string{"phone": strings.Repeat("0", 30)}, "phone", "電話番号は20文字以下で入力してください。"},
		{"contact missing", map[string]string{"contact_name": ""}, "contact_name", "担当者名を入力してください。"},
		{"contact 201", map[string]string{"contact_name": long}, "contact_name", "担当者名は200文字以下で入力してください。"},
		{"password missing", map[string]string{"password": ""}, "password", af.MsgPasswordRequired},
		{"password 7", map[string]string{"password": "Passw0r", "password_confirm": "Passw0r"}, "password", af.MsgPasswordShort},
		{"password 65", map[string]string{"password": strings.Repeat("a1", 32) + "b", "password_confirm": strings.Repeat("a1", 32) + "b"}, "password", af.MsgPasswordLong},
		{"password symbol", map[string]string{"password": "Passw0rd!", "password_confirm": "Passw0rd!"}, "password", af.MsgPasswordChars},
		{"password space", map[string]string{"password": "Pass w0rd", "password_confirm": "Pass w0rd"}, "password", af.MsgPasswordChars},
		{"password full-width", map[string]string{"password": "Ｐａｓｓｗ０ｒｄ", "password_confirm": "Ｐａｓｓｗ０ｒｄ"}, "password", af.MsgPasswordChars},
		{"password letters only", map[string]string{"password": "Password", "password_confirm": "Password"}, "password", af.MsgPasswordMix},
		{"password digits only", map[string]string{"password": "12345678", "password_confirm": "12345678"}, "password", af.MsgPasswordMix},
		{"password confirm missing", map[string]string{"password_confirm": ""}, "password_confirm", af.MsgPasswordConfirmReq},
		{"password confirm differs", map[string]string{"password_confirm": "passw0rd"}, "password_confirm", af.MsgPasswordConfirm},
	}
	run(t, validRegistration, func(v url.Values) form.Errors {
		reg, errs := af.ReadRegistration(v, email)
		if errs.Valid() && (reg.FacilityCode != "1234567" || reg.Email != email || reg.Prefecture != 13 && reg.Prefecture != 1 && reg.Prefecture != 47) {
			t.Errorf("cleaned values: %+v", reg)
		}
		return errs
	}, cases)
}

func TestRegistrationKeepsValues(t *testing.T) {
	t.Parallel()
	v := validRegistration()
	v.Set("phone", "０３ー１２３４ー５６７８")
	v.Set("name", "  <script>alert(1)</script> ")
	v.Set("password", "short")
	reg, errs := af.ReadRegistration(v, "a@example.jp")
	if reg.Phone != "03-1234-5678" || reg.Name != "<script>alert(1)</script>" {
		t.Errorf("values not kept cleaned: %+v", reg)
	}
	if !errs.Has("password") || errs.Has("name") {
		t.Errorf("errors: %v", errs)
	}
}

func TestPasswordNotEmail(t *testing.T) {
	t.Parallel()
	// An address made only of letters and digits cannot pass the 半角英数字 rule anyway, so
	// the e-mail rule is checked directly, case-insensitively.
	errs := af.CheckPassword("Clinic12", "Clinic12", "clinic12", nil)
	if errs["password"] != af.MsgPasswordIsEmail {
		t.Errorf("password = e-mail: %v", errs)
	}
}

func validProvisional() url.Values {
	return url.Values{
		"name":             {"サンプル医療機関"},
		"founder_name":     {"サンプル太郎"},
		"phone":            {"03-0000-0000"},
		"contact_name":     {"山田花子"},
		"email":            {"sample@clinic.example.jp"},
		"email_confirm":    {"sample@clinic.example.jp"},
		"password":         {"NewPass123"},
		"password_confirm": {"NewPass123"},
	}
}

func TestProvisionalEditRules(t *testing.T) {
	t.Parallel()
	const provID, provPW = "412345678@01", "pa4123456780"
	cases := []ruleCase{
		{"valid", nil, "", ""},
		{"valid full-width address", map[string]string{"email": "ｓａｍｐｌｅ＠ｃｌｉｎｉｃ．ｅｘａｍｐｌｅ．ｊｐ"}, "", ""},
		{"valid confirm differs in case", map[string]string{"email_confirm": "SAMPLE@clinic.example.jp"}, "", ""},
		{"contact still 支払基金", map[string]string{"contact_name": "支払基金"}, "contact_name", af.MsgContactIsFund},
		{"contact 支払基金 with spaces", map[string]string{"contact_name": "\u3000支払基金 "}, "contact_name", af.MsgContactIsFund},
		{"contact missing", map[string]string{"contact_name": ""}, "contact_name", "担当者名を入力してください。"},
		{"name missing", map[string]string{"name": ""}, "name", "医療機関等名を入力してください。"},
		{"founder 201", map[string]string{"founder_name": strings.Repeat("x", 201)}, "founder_name", "開設者氏名は200文字以下で入力してください。"},
		{"phone wrong", map[string]string{"phone": "03(1234)"}, "phone", af.MsgPhone},
		{"email still provisional", map[string]string{"email": provID, "email_confirm": provID}, "email", af.MsgEmailIsProvisional},
		{"email missing", map[string]string{"email": ""}, "email", "メールアドレスを入力してください。"},
		{"email invalid", map[string]string{"email": "sample.clinic.example.jp", "email_confirm": "sample.clinic.example.jp"}, "email", "メールアドレスの形式が正しくありません。「info@example.jp」のような形式で入力してください。"},
		{"email 255", map[string]string{"email": strings.Repeat("a", 244) + "@example.jp", "email_confirm": strings.Repeat("a", 244) + "@example.jp"}, "email", "メールアドレスは254文字以下で入力してください。"},
		{"email kana", map[string]string{"email": "さんぷる@example.jp", "email_confirm": "さんぷる@example.jp"}, "email", af.MsgEmailASCII},
		{"email confirm missing", map[string]string{"email_confirm": ""}, "email_confirm", "メールアドレス(確認)を入力してください。"},
		{"email confirm differs", map[string]string{"email_confirm": "other@clinic.example.jp"}, "email_confirm", af.MsgEmailConfirm},
		{"password blank", map[string]string{"password": ""}, "password", af.MsgPasswordRequired},
		{"password is provisional", map[string]string{"password": provPW, "password_confirm": provPW}, "password", af.MsgPasswordIsProv},
		{"password confirm differs", map[string]string{"password_confirm": "NewPass124"}, "password_confirm", af.MsgPasswordConfirm},
	}
	run(t, validProvisional, func(v url.Values) form.Errors {
		_, errs := af.ReadProvisionalEdit(v, provID, func(pw string) bool { return pw == provPW })
		return errs
	}, cases)
}

func TestAddressRules(t *testing.T) {
	t.Parallel()
	cases := []ruleCase{
		{"valid", nil, "", ""},
		{"valid full-width", map[string]string{"email": "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ"}, "", ""},
		{"missing", map[string]string{"email": " "}, "email", "メールアドレスを入力してください。"},
		{"no at", map[string]string{"email": "info.example.jp"}, "email", "メールアドレスの形式が正しくありません。「info@example.jp」のような形式で入力してください。"},
		{"header injection", map[string]string{"email": "a@example.jp\r\nBcc: x@example.jp"}, "email", form.MsgUnprintable},
		{"kana", map[string]string{"email": "あ@example.jp"}, "email", af.MsgEmailASCII},
	}
	run(t, func() url.Values { return url.Values{"email": {"info@example.jp"}} }, func(v url.Values) form.Errors {
		a, errs := af.ReadAddress(v)
		if errs.Valid() && a.Email != "info@example.jp" {
			t.Errorf("cleaned = %q", a.Email)
		}
		return errs
	}, cases)
}

func TestNewPasswordRules(t *testing.T) {
	t.Parallel()
	cases := []ruleCase{
		{"valid", nil, "", ""},
		{"short", map[string]string{"password": "a1", "password_confirm": "a1"}, "password", af.MsgPasswordShort},
		{"confirm differs", map[string]string{"password_confirm": "Other1234"}, "password_confirm", af.MsgPasswordConfirm},
		{"control char", map[string]string{"password": "Pass\x00w0rd"}, "password", form.MsgUnprintable},
	}
	run(t, func() url.Values { return url.Values{"password": {"Reset2024"}, "password_confirm": {"Reset2024"}} }, func(v url.Values) form.Errors {
		_, errs := af.ReadNewPassword(v, "info@example.jp")
		return errs
	}, cases)
}

func TestPasswordChangeRules(t *testing.T) {
	t.Parallel()
	cases := []ruleCase{
		{"valid", nil, "", ""},
		{"current missing", map[string]string{"current_password": ""}, "current_password", af.MsgCurrentPassword},
		{"same as current", map[string]string{"password": "OldPass123", "password_confirm": "OldPass123"}, "password", af.MsgPasswordUnchanged},
		{"letters only", map[string]string{"password": "abcdefgh", "password_confirm": "abcdefgh"}, "password", af.MsgPasswordMix},
	}
	run(t, func() url.Values {
		return url.Values{"current_password": {"OldPass123"}, "password": {"NewPass456"}, "password_confirm": {"NewPass456"}}
	}, func(v url.Values) form.Errors {
		_, errs := af.ReadPasswordChange(v, "info@example.jp")
		return errs
	}, cases)
}

func TestEmailChangeRules(t *testing.T) {
	t.Parallel()
	cases := []ruleCase{
		{"valid", nil, "", ""},
		{"unchanged", map[string]string{"email": "OLD@example.jp", "email_confirm": "old@example.jp"}, "email", af.MsgEmailUnchanged},
		{"confirm differs", map[string]string{"email_confirm": "new2@example.jp"}, "email_confirm", af.MsgEmailConfirm},
		{"invalid", map[string]string{"email": "new@", "email_confirm": "new@"}, "email", "メールアドレスの形式が正しくありません。「info@example.jp」のような形式で入力してください。"},
	}
	run(t, func() url.Values { return url.Values{"email": {"new@example.jp"}, "email_confirm": {"new@example.jp"}} }, func(v url.Values) form.Errors {
		_, errs := af.ReadEmailChange(v, "old@example.jp")
		return errs
	}, cases)
}
