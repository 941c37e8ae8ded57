package jp

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// Encoding is how a CSV file the portal writes is encoded.
type Encoding string

// The encodings every export offers: UTF-8 with a BOM (Excel detects it) or CP932
// (Shift_JIS as Windows writes it, for older Excel and the makers' systems).
const (
	UTF8BOM Encoding = "utf8"
	CP932   Encoding = "cp932"
)

// ParseEncoding reads an encoding chosen on a form or a command line; anything unknown is
// refused so a typo never yields a file in the wrong encoding.
func ParseEncoding(s string) (Encoding, error) {
	switch Encoding(strings.ToLower(s)) {
	case UTF8BOM, "utf-8", "":
		return UTF8BOM, nil
	case CP932, "sjis", "shift_jis":
		return CP932, nil
	}
	return "", fmt.Errorf("jp: unknown CSV encoding %q (utf8 or cp932)", s)
}

// Replacement stands for a character CP932 cannot hold (a rare kanji variant, an emoji):
// 〓 (geta), the mark Japanese typesetting has always used for a missing character. It is
// visible, unlike the control character 0x1A that x/text's ReplaceUnsupported writes.
const Replacement = '〓'

// ReplacementNote is the sentence every CP932 export shows beside its download.
const ReplacementNote = "CP932（Shift_JIS）で表せない文字は「〓」に置き換えて出力します。正確な文字が必要な場合はUTF-8（BOM付き）を選んでください。"

// CSVWriter writes CSV records with CRLF line ends, as Excel expects, in an Encoding.
type CSVWriter struct {
	buf      *bufio.Writer
	enc      *transform.Writer // CP932 only
	check    *encoding.Encoder // CP932 only: finds what the encoding lacks
	csv      *csv.Writer
	replaced int
}

// NewCSVWriter starts a CSV file on w; UTF-8 files begin with the BOM.
func NewCSVWriter(w io.Writer, e Encoding) (*CSVWriter, error) {
	cw := &CSVWriter{buf: bufio.NewWriterSize(w, 64<<10)}
	switch e {
	case UTF8BOM:
		if _, err := cw.buf.WriteString("\uFEFF"); err != nil {
			return nil, fmt.Errorf("jp: csv: %w", err)
		}
		cw.csv = csv.NewWriter(cw.buf)
	case CP932:
		cw.enc = transform.NewWriter(cw.buf, japanese.ShiftJIS.NewEncoder())
		cw.check = japanese.ShiftJIS.NewEncoder()
		cw.csv = csv.NewWriter(cw.enc)
	default:
		return nil, fmt.Errorf("jp: unknown CSV encoding %q", e)
	}
	cw.csv.UseCRLF = true
	return cw, nil
}

// Write writes one record. In CP932, a field with a character the encoding lacks has that
// character replaced by Replacement; the record is written all the same.
func (cw *CSVWriter) Write(record []string) error {
	if cw.check != nil {
		replaced := false
		for i, v := range record {
			if _, err := cw.check.String(v); err != nil {
				record[i], replaced = toCP932(cw.check, v), true
			}
		}
		if replaced {
			cw.replaced++
		}
	}
	if err := cw.csv.Write(record); err != nil {
		return fmt.Errorf("jp: csv: %w", err)
	}
	return nil
}

// Replaced is the number of records written with a replaced character.
func (cw *CSVWriter) Replaced() int { return cw.replaced }

// Close flushes everything to the underlying writer (it does not close it).
func (cw *CSVWriter) Close() error {
	cw.csv.Flush()
	if err := cw.csv.Error(); err != nil {
		return fmt.Errorf("jp: csv: %w", err)
	}
	if cw.enc != nil {
		if err := cw.enc.Close(); err != nil {
			return fmt.Errorf("jp: csv: %w", err)
		}
	}
	if err := cw.buf.Flush(); err != nil {
		return fmt.Errorf("jp: csv: %w", err)
	}
	return nil
}

func toCP932(enc *encoding.Encoder, s string) string {
	var b strings.Builder
	for _, r := range s {
		if _, err := enc.String(string(r)); err != nil {
			b.WriteRune(Replacement)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Cell keeps a text value from being read as a formula by Excel (CSV injection): a value
// starting with = + - @ or a control character gets a leading apostrophe.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
