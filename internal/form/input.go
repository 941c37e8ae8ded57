package form

import (
	"net/url"
	"unicode/utf8"
)

// MaxField is the most characters any single field accepts before it is refused outright;
// the rules of each field are stricter, this only keeps hostile input cheap.
const MaxField = 10000

// MsgUnprintable is shown beside a field whose value holds invalid UTF-8 or control characters.
const MsgUnprintable = "使用できない文字が含まれています。"

// MsgTooLong is shown beside a field longer than MaxField.
const MsgTooLong = "入力された内容が長すぎます。"

// Input reads the values of a submitted form, cleaning each and recording in Errors the
// fields that hold what no one types. A refused value reads as "" so nothing hostile is
// echoed back or stored.
type Input struct {
	values url.Values
	// Errors holds the fields refused while reading.
	Errors Errors
}

// NewInput reads from values, normally r.PostForm after the CSRF middleware parsed it.
func NewInput(values url.Values) *Input { return &Input{values: values} }

// raw returns the value of name if it is acceptable text, else records the error and "".
func (in *Input) raw(name string, multiline bool) string {
	v := in.values.Get(name)
	if utf8.RuneCountInString(v) > MaxField {
		in.Errors.Add(name, MsgTooLong)
		return ""
	}
	if !Printable(v, multiline) {
		in.Errors.Add(name, MsgUnprintable)
		return ""
	}
	return v
}

// Text is a single-line text field, cleaned.
func (in *Input) Text(name string) string { return Clean(in.raw(name, false)) }

// Multiline is a textarea, cleaned.
func (in *Input) Multiline(name string) string { return CleanText(in.raw(name, true)) }

// Password is a password field, read exactly as typed: spaces are part of what the user
// chose (and the password rule decides whether they are allowed).
func (in *Input) Password(name string) string { return in.raw(name, false) }

// Email is an e-mail address field, cleaned with Email.
func (in *Input) Email(name string) string { return Email(in.raw(name, false)) }

// Digits is a numeric code field, cleaned with Digits.
func (in *Input) Digits(name string) string { return Digits(in.raw(name, false)) }

// Phone is a telephone number field, cleaned with Phone.
func (in *Input) Phone(name string) string { return Phone(in.raw(name, false)) }

// PostalCode is a 郵便番号 field, cleaned with PostalCode.
func (in *Input) PostalCode(name string) string { return PostalCode(in.raw(name, false)) }

// Int is a select or number field; 0 when empty or not a number, which the rules treat as
// "not chosen".
func (in *Input) Int(name string) int {
	n, _ := Integer(in.raw(name, false))
	return n
}

// Bool is a checkbox: true when sent with any value.
func (in *Input) Bool(name string) bool { return in.raw(name, false) != "" }
