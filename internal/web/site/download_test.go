package site

import (
	"net/http/httptest"
	"testing"

	"portal/internal/jp"
)

// A CSV download's headers go out with its first byte, so a step that fails before it can
// still answer with an error page; the Japanese name travels percent-encoded in filename*.
func TestCSVFileHeadersWithFirstByte(t *testing.T) {
	rec := httptest.NewRecorder()
	f := NewCSVFile(rec, "audit.csv", "操作履歴_20261201.csv", jp.CP932)
	if f.Started() || rec.Header().Get("Content-Disposition") != "" || rec.Header().Get("Content-Type") != "" {
		t.Fatalf("headers before the first byte: %v", rec.Header())
	}
	if _, err := f.Write([]byte("a,b\r\n")); err != nil {
		t.Fatal(err)
	}
	if !f.Started() {
		t.Error("not started after a write")
	}
	if got, want := rec.Header().Get("Content-Disposition"),
		`attachment; filename="audit.csv"; filename*=UTF-8''%E6%93%8D%E4%BD%9C%E5%B1%A5%E6%AD%B4_20261201.csv`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/csv; charset=shift_jis" {
		t.Errorf("Content-Type %q", got)
	}
	if rec.Body.String() != "a,b\r\n" {
		t.Errorf("body %q", rec.Body.String())
	}
}
