// Package filecheck decides what an uploaded file is from its content, never from its name
// or the type the browser claims: a program renamed .pdf is not a PDF. It knows PDF (the
// %PDF- header, the %%EOF trailer and a cross-reference the trailer points to), PNG and
// JPEG (their headers decoded by the standard library).
package filecheck

import (
	"bytes"
	"errors"
	"image/jpeg"
	"image/png"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The content types this package recognises.
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
)

// Errors of the checks.
var (
	// ErrEmpty means the file has no content.
	ErrEmpty = errors.New("filecheck: empty file")
	// ErrNotAllowed means the content is none of the accepted types.
	ErrNotAllowed = errors.New("filecheck: content type not accepted")
	// ErrBroken means the content starts like an accepted type but is not a whole file.
	ErrBroken = errors.New("filecheck: file damaged or incomplete")
)

// Detect returns the content type of data among accept (PDF, PNG, JPEG), checked by
// content and sanity-checked as a whole file.
func Detect(data []byte, accept ...string) (string, error) {
	if len(data) == 0 {
		return "", ErrEmpty
	}
	var kind string
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		kind = PDF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		kind = PNG
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		kind = JPEG
	default:
		return "", ErrNotAllowed
	}
	allowed := false
	for _, a := range accept {
		allowed = allowed || a == kind
	}
	if !allowed {
		return "", ErrNotAllowed
	}
	var err error
	switch kind {
	case PDF:
		err = checkPDF(data)
	case PNG:
		_, err = png.DecodeConfig(bytes.NewReader(data))
	case JPEG:
		_, err = jpeg.DecodeConfig(bytes.NewReader(data))
	}
	if err != nil {
		return "", ErrBroken
	}
	return kind, nil
}

var (
	pdfVersion = regexp.MustCompile(`^%PDF-[12]\.[0-9]`)
	startxref  = regexp.MustCompile(`startxref\s+([0-9]{1,12})\s+%%EOF\s*$`)
	objHeader  = regexp.MustCompile(`^[0-9]+\s+[0-9]+\s+obj`)
)

// checkPDF is a sanity check, not a parser: a version header, an end-of-file marker near
// the end, and a startxref offset that points inside the file at a cross-reference table
// ("xref") or stream ("N 0 obj"). A truncated download or a file that merely starts with
// "%PDF-" fails it.
func checkPDF(data []byte) error {
	if !pdfVersion.Match(data[:min(len(data), 16)]) {
		return ErrBroken
	}
	tail := data[max(0, len(data)-2048):]
	m := startxref.FindSubmatch(tail)
	if m == nil {
		return ErrBroken
	}
	off, err := strconv.Atoi(string(m[1]))
	if err != nil || off <= 0 || off >= len(data) {
		return ErrBroken
	}
	at := data[off:]
	if bytes.HasPrefix(at, []byte("xref")) || objHeader.Match(at[:min(len(at), 32)]) {
		return nil
	}
	return ErrBroken
}

// CleanName makes an uploaded file's name safe to store and to offer back for download:
// the base name only, no control or format characters, at most 100 characters, and the
// extension that fits the content.
func CleanName(name, contentType string) string {
	name = strings.ReplaceAll(strings.ToValidUTF8(name, ""), `\`, "/")
	name = path.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`/\:*?"<>|`, r) {
			return -1
		}
		return r
	}, name)
	ext := map[string]string{PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}[contentType]
	base := strings.TrimSpace(strings.Trim(strings.TrimSuffix(name, path.Ext(name)), ". "))
	if utf8.RuneCountInString(base) > 100 {
		base = string([]rune(base)[:100])
	}
	if base == "" {
		base = "file"
	}
	return base + ext
}
