package inquiry

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"portal/internal/filecheck"
	"portal/internal/form"
)

// Limits of the form.
const (
	// MaxQuestion is the longest question, reply, answer or note, in characters.
	MaxQuestion = 10000
	// MaxName is the longest name.
	MaxName = 100
	// MaxAttachment is the largest attachment, in bytes.
	MaxAttachment = 5 << 20
)

// AttachmentTypes are the content types an attachment may have.
var AttachmentTypes = []string{filecheck.PDF, filecheck.PNG, filecheck.JPEG}

// Upload is a file sent with the form.
type Upload struct {
	// Filename is the name the browser gave; Data the content (nil when no file was sent).
	Filename string
	Data     []byte
	// TooLarge is set by the reader when the file was larger than MaxAttachment (Data is
	// then not kept).
	TooLarge bool
}

// Input is the inquiry form as typed (問い合わせフォーム).
type Input struct {
	Category string
	// FacilityCode is what a visitor typed (optional); a signed-in facility's is its own.
	FacilityCode string
	Name         string
	Email        string
	Phone        string
	Question     string
	Attachment   Upload
	// Honeypot is the field people never see and programs fill in.
	Honeypot string
	// Token is the form's signed timestamp (NewFormToken).
	Token string
}

// CleanText keeps what a person typed in a long text (a question, an answer): invalid
// UTF-8 and control or format characters are dropped and line ends made "\n". changed
// tells that something was dropped, so the page can say so while keeping the rest.
func CleanText(s string) (clean string, changed bool) {
	valid := strings.ToValidUTF8(s, "")
	mapped := strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return r
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r) && r != '\u200d', r >= 0xE000 && r <= 0xF8FF, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, valid)
	return form.CleanText(mapped), valid != s || mapped != valid
}

// MsgDropped is shown beside a text from which unusable characters were dropped.
const MsgDropped = "使用できない文字を取り除きました。内容をご確認のうえ、もう一度送信してください。"

// checkText adds field's error for a long text: empty, or too long (with its length, so
// the sender knows how much to cut; the text itself stays in the form).
func checkText(errs *form.Errors, field, label, v string) {
	n := utf8.RuneCountInString(v)
	switch {
	case strings.TrimSpace(v) == "":
		errs.Add(field, label+"を入力してください。")
	case n > MaxQuestion:
		errs.Add(field, fmt.Sprintf("%sは%s文字以内で入力してください（現在%s文字）。", label, comma(MaxQuestion), comma(n)))
	}
}

func comma(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CheckInput applies the form's rules. signedIn is true for a facility's own form (its
// code is not typed).
func CheckInput(in Input, signedIn bool) form.Errors {
	var errs form.Errors
	if !slices.Contains(Categories, in.Category) {
		errs.Add("category", "お問い合わせの種類を選択してください。")
	}
	if !signedIn && in.FacilityCode != "" && !(form.IsDigits(in.FacilityCode, 7) || form.IsDigits(in.FacilityCode, 10)) {
		errs.Add("facility_code", "医療機関等コードは半角数字7桁または10桁（都道府県番号・点数表番号を含む）で入力してください。わからない場合は空欄のままで送信できます。")
	}
	checkName(&errs, "name", in.Name)
	checkEmail(&errs, "email", in.Email, true)
	checkPhone(&errs, "phone", in.Phone)
	checkText(&errs, "question", "お問い合わせ内容", in.Question)
	if in.Attachment.TooLarge {
		errs.Add("attachment", fmt.Sprintf("添付ファイルは%dMB以下にしてください。", MaxAttachment>>20))
	} else if in.Attachment.Data != nil {
		if _, err := filecheck.Detect(in.Attachment.Data, AttachmentTypes...); err != nil {
			errs.Add("attachment", "添付できるのはPDF・PNG・JPEGのファイルです。ファイルの内容がこれらの形式ではないため、添付できません。")
		}
	}
	return errs
}

func checkName(errs *form.Errors, field, v string) {
	switch n := utf8.RuneCountInString(v); {
	case v == "":
		errs.Add(field, "お名前を入力してください。")
	case n > MaxName:
		errs.Add(field, fmt.Sprintf("お名前は%d文字以下で入力してください。", MaxName))
	}
}

func checkEmail(errs *form.Errors, field, v string, required bool) {
	if v == "" {
		if required {
			errs.Add(field, "返信先のメールアドレスを入力してください。")
		}
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || len(v) > 254 || !strings.Contains(v, "@") || strings.ContainsAny(v, " ,;<>\"") {
		errs.Add(field, "メールアドレスの形式が正しくありません。「info@example.jp」のような形式で入力してください。")
	}
}

func checkPhone(errs *form.Errors, field, v string) {
	if v != "" && !form.IsPhone(v) {
		errs.Add(field, "電話番号は"+form.MsgPhone)
	}
}

// PhoneCase is what an operator types to open a case for a phone caller, in one step.
type PhoneCase struct {
	FacilityID int64
	Category   string
	Name       string
	Phone      string
	// Email is where answers go; empty when the caller is answered by phone.
	Email    string
	Question string
	// AnsweredByPhone, when set, is what the operator told the caller: recorded as a note
	// and the case is 回答済 at once.
	AnsweredByPhone string
	Priority        int
}

// CheckPhoneCase applies the rules to a phone caller's case.
func CheckPhoneCase(in PhoneCase) form.Errors {
	var errs form.Errors
	if !slices.Contains(Categories, in.Category) {
		errs.Add("category", "お問い合わせの種類を選択してください。")
	}
	checkName(&errs, "name", in.Name)
	checkPhone(&errs, "phone", in.Phone)
	checkEmail(&errs, "email", in.Email, false)
	checkText(&errs, "question", "お問い合わせ内容", in.Question)
	if in.AnsweredByPhone != "" {
		checkText(&errs, "answered", "電話で回答した内容", in.AnsweredByPhone)
	}
	if !slices.Contains(Priorities, in.Priority) {
		errs.Add("priority", "優先度を選択してください。")
	}
	return errs
}

// InvalidError carries the field errors of refused input.
type InvalidError struct{ Errors form.Errors }

func (e *InvalidError) Error() string { return "inquiry: input not valid" }

// ClosedError refuses a step on a closed case; Message says what to do.
type ClosedError struct{ Message string }

func (e *ClosedError) Error() string { return "inquiry: closed: " + e.Message }
