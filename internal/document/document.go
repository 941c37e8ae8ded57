// Package document is 個別文書: a PDF a supervisor sends to one facility or to a filtered
// set (internal/audience). The file is checked by its content (a program renamed .pdf is
// refused), kept once with its SHA-256 in PostgreSQL, and addressed to each facility as a
// facility_messages row, so it shows on マイページ with 未読/既読 and the operators see who
// has read it. Each facility is mailed that a document waits: one mail at once for a
// single facility, a broadcast at the broadcast pace for a set.
//
// A document addressed to a facility that has no account yet is stored and shown once the
// facility registers (a message belongs to the facility, not the account); no mail goes
// out, since there is no address, and the supervisor is told so. Refusing it would lose
// exactly the letters meant for facilities that have not registered.
package document

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"portal/internal/audience"
	"portal/internal/filecheck"
	"portal/internal/form"
)

// Limits of a document.
const (
	// MaxSize is the largest file, in bytes.
	MaxSize = 10 << 20
	// MaxTitle and MaxNote bound the texts.
	MaxTitle = 200
	MaxNote  = 2000
)

// DefaultNote is the text shown with the file when the supervisor writes none.
const DefaultNote = "支払基金から貴医療機関・薬局あての文書をお送りします。添付のPDFファイルをご確認ください。"

// Upload is the file as sent.
type Upload struct {
	Filename string
	Data     []byte
	// TooLarge is set by the reader when the file exceeded MaxSize (Data is not kept).
	TooLarge bool
}

// Input is the upload form as typed.
type Input struct {
	Title string
	// Note is shown above the file on マイページ.
	Note string
	File Upload
	// FacilityID addresses one facility; with ToAudience, Audience selects the facilities
	// (through their accounts) instead.
	FacilityID int64
	ToAudience bool
	Audience   audience.Filter
	// Token is the form's single-use token: the same form posted twice sends once.
	Token string
}

// Messages of the upload form.
const (
	MsgNotPDF = "PDFファイルではありません。ファイルの内容がPDFの形式ではないため登録できません（名前が「.pdf」で終わっていても、内容がPDFでないファイルは受け付けません）。"
	MsgBroken = "PDFファイルが壊れているか、途中までしかありません。元のファイルを確認してください。"
)

// Check applies the rules to in.
func Check(in Input) form.Errors {
	var errs form.Errors
	switch n := utf8.RuneCountInString(in.Title); {
	case strings.TrimSpace(in.Title) == "":
		errs.Add("title", "文書名を入力してください。")
	case n > MaxTitle:
		errs.Add("title", fmt.Sprintf("文書名は%d文字以下で入力してください。", MaxTitle))
	}
	if n := utf8.RuneCountInString(in.Note); n > MaxNote {
		errs.Add("note", fmt.Sprintf("本文は%d文字以下で入力してください（現在%d文字）。", MaxNote, n))
	}
	switch {
	case in.File.TooLarge:
		errs.Add("file", fmt.Sprintf("ファイルは%dMB以下にしてください。", MaxSize>>20))
	case len(in.File.Data) == 0:
		errs.Add("file", "PDFファイルを選択してください。")
	default:
		_, err := filecheck.Detect(in.File.Data, filecheck.PDF)
		switch {
		case errors.Is(err, filecheck.ErrBroken):
			errs.Add("file", MsgBroken)
		case err != nil:
			errs.Add("file", MsgNotPDF)
		}
	}
	if in.ToAudience {
		errs.Merge(in.Audience.Check())
	} else if in.FacilityID <= 0 {
		errs.Add("facility", "送付先の医療機関等を検索して選択してください。")
	}
	return errs
}

// Result says what Send did.
type Result struct {
	DocumentID int64
	// Recipients is how many facilities the document was addressed to.
	Recipients int
	// NoAccount is set when the one facility has no account: the document waits on its
	// マイページ for its registration, and nobody was mailed.
	NoAccount bool
	// BroadcastID is the notice broadcast of a document sent to a set.
	BroadcastID int64
}

// Document is one sent document as the back office lists it.
type Document struct {
	ID            int64
	Title         string
	Filename      string
	Size          int
	SHA256        string // hex
	AudienceLabel string
	Recipients    int
	Read          int
	CreatedBy     string
	CreatedAt     time.Time
	BroadcastID   int64
}

// Unread is how many recipients have not opened it.
func (d Document) Unread() int { return d.Recipients - d.Read }

// Recipient is one facility a document was addressed to, and whether it has read it.
type Recipient struct {
	FacilityID int64
	Code       string // 10 digits
	Name       string
	HasAccount bool
	ReadAt     *time.Time
}

// File is a stored document's content.
type File struct {
	Filename string
	SHA256   []byte
	Data     []byte
}

// Errors of the package.
var (
	// ErrNotFound means no such document, or not one the asker may fetch.
	ErrNotFound = errors.New("document: not found")
)

// InvalidError carries the field errors of a refused upload.
type InvalidError struct{ Errors form.Errors }

func (e *InvalidError) Error() string { return "document: input not valid" }
