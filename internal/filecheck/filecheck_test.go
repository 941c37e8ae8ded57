package filecheck_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"testing"

	"portal/internal/filecheck"
)

func TestDetectByContent(t *testing.T) {
	t.Parallel()
	pdf := filecheck.SamplePDF("hello")
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 100)...)
	elf := append([]byte("\x7fELF\x02\x01\x01"), bytes.Repeat([]byte{0}, 100)...)
	for name, c := range map[string]struct {
		data   []byte
		accept []string
		want   string
		err    error
	}{
		"pdf":                        {pdf, []string{filecheck.PDF}, filecheck.PDF, nil},
		"png among pdf, png, jpeg":   {pngBuf.Bytes(), []string{filecheck.PDF, filecheck.PNG, filecheck.JPEG}, filecheck.PNG, nil},
		"png where only pdf":         {pngBuf.Bytes(), []string{filecheck.PDF}, "", filecheck.ErrNotAllowed},
		"windows program":            {exe, []string{filecheck.PDF}, "", filecheck.ErrNotAllowed},
		"linux program":              {elf, []string{filecheck.PDF}, "", filecheck.ErrNotAllowed},
		"empty":                      {nil, []string{filecheck.PDF}, "", filecheck.ErrEmpty},
		"only the magic":             {[]byte("%PDF-1.7\nnothing else"), []string{filecheck.PDF}, "", filecheck.ErrBroken},
		"truncated pdf":              {pdf[:len(pdf)/2], []string{filecheck.PDF}, "", filecheck.ErrBroken},
		"startxref past the end":     {bytes.Replace(pdf, []byte("startxref\n"), []byte("startxref\n9"), 1), []string{filecheck.PDF}, "", filecheck.ErrBroken},
		"program behind a pdf magic": {append([]byte("%PDF-1.4\n"), exe...), []string{filecheck.PDF}, "", filecheck.ErrBroken},
		"truncated png":              {pngBuf.Bytes()[:12], []string{filecheck.PNG}, "", filecheck.ErrBroken},
	} {
		got, err := filecheck.Detect(c.data, c.accept...)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("%s: %q %v, want %q %v", name, got, err, c.want, c.err)
		}
	}
}

func TestCleanName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"案内.pdf":                       "案内.pdf",
		"../../etc/passwd<script>.csv": "passwdscript.pdf",
		`C:\Users\a\report.exe`:        "report.pdf",
		"\x00\u202e.pdf":               "file.pdf",
		"scan.PNG":                     "scan.pdf",
	} {
		if got := filecheck.CleanName(in, filecheck.PDF); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
