package site

import (
	"net/http"
	"strconv"

	"portal/internal/jp"
)

// Download sends a stored file (an attachment, a 個別文書) as a download under its own
// name. It is never rendered in the portal's origin: attachment disposition, nosniff
// (securityHeaders), and a sandboxing CSP should a browser open it anyway.
func Download(w http.ResponseWriter, name, contentType string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="download"; filename*=UTF-8''`+encodeRFC5987(name))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// encodeRFC5987 percent-encodes a file name for filename* (RFC 5987): every byte but the
// unreserved ones, so no quote, semicolon or line break reaches the header.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)*3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

// CSVFile is the response of a CSV export streamed from the database: its headers (the
// charset of enc, the name, no-store) go out with the first byte, so a step that fails
// before writing anything (its audit entry, its query) can still answer with an error page
// instead of an empty file.
type CSVFile struct {
	w              http.ResponseWriter
	fallback, name string
	enc            jp.Encoding
	started        bool
}

// NewCSVFile returns the response writer of a CSV download named name (Japanese allowed:
// it goes in filename*), with the ASCII name fallback for clients without filename*.
func NewCSVFile(w http.ResponseWriter, fallback, name string, enc jp.Encoding) *CSVFile {
	return &CSVFile{w: w, fallback: fallback, name: name, enc: enc}
}

func (f *CSVFile) Write(p []byte) (int, error) {
	if !f.started {
		f.started = true
		charset := "utf-8"
		if f.enc == jp.CP932 {
			charset = "shift_jis"
		}
		h := f.w.Header()
		h.Set("Content-Type", "text/csv; charset="+charset)
		h.Set("Content-Disposition", `attachment; filename="`+f.fallback+`"; filename*=UTF-8''`+encodeRFC5987(f.name))
		h.Set("Cache-Control", "no-store")
	}
	return f.w.Write(p)
}

// Started says whether any of the file was sent.
func (f *CSVFile) Started() bool { return f.started }
