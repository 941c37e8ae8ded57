package form

import (
	"regexp"
	"strings"
)

// The Japanese-input rules every form shares, one copy each: a phone number, a postal code,
// a string of digits. Values are checked after cleaning (Phone, PostalCode, Digits), so
// full-width digits and any typed dash have already been folded.

// MsgPhone is shown beside a phone number that is not 「数字-数字-数字」.
const MsgPhone = "すべて半角で「数字-数字-数字」の形式で入力してください。"

// MsgPostalCode is shown beside a 郵便番号 that is not 3+4 digits.
const MsgPostalCode = "郵便番号は半角数字3桁及び4桁で入力してください。"

// phonePattern is 「数字-数字-数字」 as Japanese numbers are written: a leading 0, the area
// code, the exchange and four (or, for 0120/0800 numbers, three) digits.
var phonePattern = regexp.MustCompile(`^0[0-9]{0,4}-[0-9]{1,4}-[0-9]{3,4}$`)

// IsPhone reports whether a cleaned phone number is 「数字-数字-数字」 with 10 or 11 digits.
func IsPhone(phone string) bool {
	digits := len(phone) - strings.Count(phone, "-")
	return phonePattern.MatchString(phone) && digits >= 10 && digits <= 11
}

// IsDigits reports whether s is n ASCII digits (any number of them when n is 0), and not empty.
func IsDigits(s string, n int) bool {
	return s != "" && (n == 0 || len(s) == n) && strings.Trim(s, "0123456789") == ""
}

// IsPostalCode reports whether a cleaned 郵便番号 is seven digits.
func IsPostalCode(s string) bool { return IsDigits(s, 7) }
