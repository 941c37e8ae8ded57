package site

import (
	"net/http"
	"strconv"
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
