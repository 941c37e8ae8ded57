// Package accountform holds the rules of the account forms (アカウント情報) of SPEC §3:
// new registration, the provisional forced edit, password reset and change, and e-mail
// change. Each Read function turns a submitted form into a typed struct with the values
// cleaned and kept for re-display, plus one Japanese message per wrong field.
//
// The rules here only look at what was typed; the ones that need the database (the code
// is in the master, one account per facility, one facility per address) live with the
// store in package account.
package accountform

import (
	"net/url"
	"strings"

	"portal/internal/form"
)

// Field names: the HTML name and id of each input, and the keys of form.Errors.
const (
	FieldPrefecture      = "prefecture"
	FieldScoreTable      = "score_table"
	FieldFacilityCode    = "facility_code"
	FieldName            = "name"
	FieldFounderName     = "founder_name"
	FieldPhone           = "phone"
	FieldContactName     = "contact_name"
	FieldEmail           = "email"
	FieldEmailConfirm    = "email_confirm"
	FieldPassword        = "password"
	FieldPasswordConfirm = "password_confirm"
	FieldCurrentPassword = "current_password"
)

// Limits of the fields, shown in the hints and enforced by the rules.
const (
	MaxName        = 200
	MaxEmail       = 254
	MinPassword    = 8
	MaxPassword    = 64
	FundContact    = "支払基金" // the 担当者名 pre-filled on provisional accounts, to be replaced
	FacilityDigits = 7
)

// Messages of the rules that are not the validator's generic ones.
const (
	MsgFacilityCode       = "医療機関等コードは半角数字7桁で入力してください。"
	MsgFacilityCode10     = "10桁で入力された医療機関等コードの先頭3桁（都道府県2桁・点数表1桁）が、選択した都道府県・点数表コードと一致しません。7桁で入力してください。"
	MsgPhone              = "電話番号は「数字-数字-数字」の形式（例：03-1234-5678）で入力してください。"
	MsgContactIsFund      = "担当者名は「支払基金」から貴医療機関・薬局のご担当者名に変更してください。"
	MsgEmailASCII         = "メールアドレスは半角の英数字と記号で入力してください。"
	MsgEmailIsProvisional = "メールアドレスは仮メールアドレスから貴医療機関・薬局のメールアドレスに変更してください。"
	MsgEmailConfirm       = "メールアドレス(確認)がメールアドレスと一致しません。"
	MsgEmailUnchanged     = "現在のメールアドレスと同じです。新しいメールアドレスを入力してください。"
	MsgPasswordRequired   = "パスワードを入力してください。"
	MsgPasswordChars      = "パスワードは半角英数字のみで入力してください。"
	MsgPasswordShort      = "パスワードは8文字以上で入力してください。"
	MsgPasswordLong       = "パスワードは64文字以下で入力してください。"
	MsgPasswordMix        = "パスワードには英字と数字をどちらも含めてください。"
	MsgPasswordIsEmail    = "メールアドレスと同じ文字列はパスワードに設定できません。"
	MsgPasswordIsProv     = "仮パスワードと同じパスワードは設定できません。"
	MsgPasswordConfirmReq = "パスワード(確認)を入力してください。"
	MsgPasswordConfirm    = "パスワード(確認)がパスワードと一致しません。"
	MsgCurrentPassword    = "現在のパスワードを入力してください。"
	MsgPasswordUnchanged  = "現在のパスワードと異なるパスワードを設定してください。"
)

// Details are the facility's editable particulars, shared by new registration and the
// provisional edit.
type Details struct {
	Name        string `form:"name" label:"医療機関等名" validate:"required,max=200"`
	FounderName string `form:"founder_name" label:"開設者氏名" validate:"required,max=200"`
	Phone       string `form:"phone" label:"電話番号" validate:"required,max=20"`
	ContactName string `form:"contact_name" label:"担当者名" validate:"required,max=200"`
}

func readDetails(in *form.Input) Details {
	return Details{
		Name:        in.Text(FieldName),
		FounderName: in.Text(FieldFounderName),
		Phone:       in.Phone(FieldPhone),
		ContactName: in.Text(FieldContactName),
	}
}

// CheckPhone returns the message for a cleaned phone number that is not 「数字-数字-数字」
// with 10 or 11 digits, or "".
func CheckPhone(phone string) string {
	if phone == "" {
		return ""
	}
	if !form.IsPhone(phone) {
		return MsgPhone
	}
	return ""
}

// CheckFacilityCode returns the message for a cleaned 医療機関等コード that is not 7 digits, or "".
func CheckFacilityCode(code string) string {
	if code == "" {
		return ""
	}
	if len(code) != FacilityDigits || strings.Trim(code, "0123456789") != "" {
		return MsgFacilityCode
	}
	return ""
}

// CheckEmailASCII returns the message for an address with characters mail servers do not
// all accept (full-width letters left after cleaning, kana…), or "".
func CheckEmailASCII(email string) string {
	for i := 0; i < len(email); i++ {
		if email[i] < 0x21 || email[i] > 0x7e {
			return MsgEmailASCII
		}
	}
	return ""
}

// CheckPassword applies the password rules of SPEC §3.3 to a new password and its
// confirmation: 半角英数字, 8–64 characters, letters and digits both present, not the
// e-mail address, not the provisional password (isProvisional may be nil).
func CheckPassword(pw, confirm, email string, isProvisional func(string) bool) form.Errors {
	var errs form.Errors
	switch {
	case pw == "":
		errs.Add(FieldPassword, MsgPasswordRequired)
	case !alnum(pw):
		errs.Add(FieldPassword, MsgPasswordChars)
	case len(pw) < MinPassword:
		errs.Add(FieldPassword, MsgPasswordShort)
	case len(pw) > MaxPassword:
		errs.Add(FieldPassword, MsgPasswordLong)
	case strings.Trim(pw, "0123456789") == "" || strings.Trim(strings.ToLower(pw), "abcdefghijklmnopqrstuvwxyz") == "":
		errs.Add(FieldPassword, MsgPasswordMix)
	case email != "" && strings.EqualFold(pw, email):
		errs.Add(FieldPassword, MsgPasswordIsEmail)
	case isProvisional != nil && isProvisional(pw):
		errs.Add(FieldPassword, MsgPasswordIsProv)
	}
	switch {
	case confirm == "":
		errs.Add(FieldPasswordConfirm, MsgPasswordConfirmReq)
	case confirm != pw && !errs.Has(FieldPassword):
		// A mismatch beside a password that is itself wrong is noise: it is retyped anyway.
		errs.Add(FieldPasswordConfirm, MsgPasswordConfirm)
	}
	return errs
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// emailPair is an address typed twice.
type emailPair struct {
	Email   string `form:"email" label:"メールアドレス" validate:"required,max=254,email"`
	Confirm string `form:"email_confirm" label:"メールアドレス(確認)" validate:"required"`
}

// checkEmailPair validates an address and its confirmation.
func checkEmailPair(email, confirm string) form.Errors {
	errs := form.Validate(&emailPair{Email: email, Confirm: confirm})
	if !errs.Has(FieldEmail) {
		if m := CheckEmailASCII(email); m != "" {
			errs.Add(FieldEmail, m)
		}
	}
	if !errs.Has(FieldEmailConfirm) && !errs.Has(FieldEmail) && !strings.EqualFold(email, confirm) {
		errs.Add(FieldEmailConfirm, MsgEmailConfirm)
	}
	return errs
}

// Address is a form with one e-mail address: the first step of new registration
// (仮登録メールを送信する) and the password-reset request.
type Address struct {
	Email string `form:"email" label:"メールアドレス" validate:"required,max=254,email"`
}

// ReadAddress reads and checks an Address form.
func ReadAddress(values url.Values) (Address, form.Errors) {
	in := form.NewInput(values)
	a := Address{Email: in.Email(FieldEmail)}
	errs := in.Errors
	errs.Merge(form.Validate(&a))
	if !errs.Has(FieldEmail) {
		if m := CheckEmailASCII(a.Email); m != "" {
			errs.Add(FieldEmail, m)
		}
	}
	return a, errs
}

// Registration is the account form of new registration (SPEC §3.2); the e-mail address
// is the verified one from the mailed link, not typed.
type Registration struct {
	Prefecture   int    `form:"prefecture" label:"都道府県" validate:"required,min=1,max=47"`
	ScoreTable   int    `form:"score_table" label:"点数表コード" validate:"required,oneof=1 3 4"`
	FacilityCode string `form:"facility_code" label:"医療機関等コード" validate:"required"`
	Details
	Email           string `form:"-" validate:"-"`
	Password        string `form:"password" validate:"-"`
	PasswordConfirm string `form:"password_confirm" validate:"-"`
}

// ReadRegistration reads and checks the new-registration form for the verified address email.
func ReadRegistration(values url.Values, email string) (Registration, form.Errors) {
	in := form.NewInput(values)
	reg := Registration{
		Prefecture:      in.Int(FieldPrefecture),
		ScoreTable:      in.Int(FieldScoreTable),
		FacilityCode:    in.Digits(FieldFacilityCode),
		Details:         readDetails(in),
		Email:           email,
		Password:        in.Password(FieldPassword),
		PasswordConfirm: in.Password(FieldPasswordConfirm),
	}
	errs := in.Errors
	if m := splitTenDigitCode(&reg); m != "" {
		errs.Add(FieldFacilityCode, m)
	}
	errs.Merge(form.Validate(&reg))
	if m := CheckFacilityCode(reg.FacilityCode); m != "" {
		errs.Add(FieldFacilityCode, m)
	}
	if m := CheckPhone(reg.Phone); m != "" {
		errs.Add(FieldPhone, m)
	}
	errs.Merge(CheckPassword(reg.Password, reg.PasswordConfirm, email, nil))
	return reg, errs
}

// splitTenDigitCode accepts the 10-digit form of the code, pref(2)+点数表(1)+code(7), as
// printed on some documents: it fills 都道府県 and 点数表 when they were not chosen, and
// keeps the 7 digits. It returns a message when the prefix contradicts the choice.
func splitTenDigitCode(reg *Registration) string {
	c := reg.FacilityCode
	if len(c) != 10 || strings.Trim(c, "0123456789") != "" {
		return ""
	}
	p := int(c[0]-'0')*10 + int(c[1]-'0')
	t := int(c[2] - '0')
	if reg.Prefecture != 0 && reg.Prefecture != p || reg.ScoreTable != 0 && reg.ScoreTable != t {
		return MsgFacilityCode10
	}
	reg.Prefecture, reg.ScoreTable, reg.FacilityCode = p, t, c[3:]
	return ""
}

// RegistrationOrder is the order of the new-registration fields on the page.
var RegistrationOrder = []string{FieldPrefecture, FieldScoreTable, FieldFacilityCode, FieldName,
	FieldFounderName, FieldPhone, FieldContactName, FieldPassword, FieldPasswordConfirm}

// ProvisionalEdit is the forced account edit after signing in with provisional
// credentials (SPEC §3.1): 都道府県, 点数表 and code are fixed and not part of it.
type ProvisionalEdit struct {
	Details
	Email           string `form:"email" validate:"-"`
	EmailConfirm    string `form:"email_confirm" validate:"-"`
	Password        string `form:"password" validate:"-"`
	PasswordConfirm string `form:"password_confirm" validate:"-"`
}

// ReadProvisionalEdit reads and checks the forced edit. provisionalID is the letter's
// 仮メールアドレス, which must be replaced; isProvisionalPassword reports whether a
// password is the letter's 仮パスワード.
func ReadProvisionalEdit(values url.Values, provisionalID string, isProvisionalPassword func(string) bool) (ProvisionalEdit, form.Errors) {
	in := form.NewInput(values)
	p := ProvisionalEdit{
		Details:         readDetails(in),
		Email:           in.Email(FieldEmail),
		EmailConfirm:    in.Email(FieldEmailConfirm),
		Password:        in.Password(FieldPassword),
		PasswordConfirm: in.Password(FieldPasswordConfirm),
	}
	errs := in.Errors
	errs.Merge(form.Validate(&p))
	if m := CheckPhone(p.Phone); m != "" {
		errs.Add(FieldPhone, m)
	}
	if p.ContactName == FundContact {
		errs.Add(FieldContactName, MsgContactIsFund)
	}
	if provisionalID != "" && strings.EqualFold(p.Email, provisionalID) {
		errs.Add(FieldEmail, MsgEmailIsProvisional)
	}
	errs.Merge(checkEmailPair(p.Email, p.EmailConfirm))
	errs.Merge(CheckPassword(p.Password, p.PasswordConfirm, p.Email, isProvisionalPassword))
	return p, errs
}

// ProvisionalEditOrder is the order of the provisional-edit fields on the page.
var ProvisionalEditOrder = []string{FieldName, FieldFounderName, FieldPhone, FieldContactName,
	FieldEmail, FieldEmailConfirm, FieldPassword, FieldPasswordConfirm}

// NewPassword is the last step of the password reset: a new password typed twice.
type NewPassword struct {
	Password        string
	PasswordConfirm string
}

// ReadNewPassword reads and checks a new password for the account whose address is email.
func ReadNewPassword(values url.Values, email string) (NewPassword, form.Errors) {
	in := form.NewInput(values)
	p := NewPassword{Password: in.Password(FieldPassword), PasswordConfirm: in.Password(FieldPasswordConfirm)}
	errs := in.Errors
	errs.Merge(CheckPassword(p.Password, p.PasswordConfirm, email, nil))
	return p, errs
}

// PasswordChange is the signed-in password change: the current password and a new one
// typed twice. Whether Current is right is the store's business.
type PasswordChange struct {
	Current         string
	Password        string
	PasswordConfirm string
}

// ReadPasswordChange reads and checks a password change for the account whose address is email.
func ReadPasswordChange(values url.Values, email string) (PasswordChange, form.Errors) {
	in := form.NewInput(values)
	p := PasswordChange{
		Current:         in.Password(FieldCurrentPassword),
		Password:        in.Password(FieldPassword),
		PasswordConfirm: in.Password(FieldPasswordConfirm),
	}
	errs := in.Errors
	if p.Current == "" {
		errs.Add(FieldCurrentPassword, MsgCurrentPassword)
	}
	errs.Merge(CheckPassword(p.Password, p.PasswordConfirm, email, nil))
	if !errs.Has(FieldPassword) && p.Current != "" && p.Password == p.Current {
		errs.Add(FieldPassword, MsgPasswordUnchanged)
	}
	return p, errs
}

// EmailChange is the signed-in request to change the address: the new one typed twice.
type EmailChange struct {
	Email        string
	EmailConfirm string
}

// ReadEmailChange reads and checks an e-mail change away from the current address.
func ReadEmailChange(values url.Values, current string) (EmailChange, form.Errors) {
	in := form.NewInput(values)
	e := EmailChange{Email: in.Email(FieldEmail), EmailConfirm: in.Email(FieldEmailConfirm)}
	errs := in.Errors
	errs.Merge(checkEmailPair(e.Email, e.EmailConfirm))
	if !errs.Has(FieldEmail) && strings.EqualFold(e.Email, current) {
		errs.Add(FieldEmail, MsgEmailUnchanged)
	}
	return e, errs
}
