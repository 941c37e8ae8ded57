package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"portal/internal/web/inquiry"
	"portal/internal/webtest"
)

// Regression: the body of a multipart form larger than the memory the CSRF check parses
// it with goes to a temporary file, and net/http removes only the files of the request it
// handed in, not of the copy the middleware parsed; so every such post, a visitor's to the
// inquiry form without a token included, left its file on disk for good. Not parallel: it
// points TMPDIR at its own folder.
func TestUploadTempFilesAreRemoved(t *testing.T) {
	env := webtest.New(t)
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("attachment", "big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(bytes.Repeat([]byte("x"), 9<<20)); err != nil { // over the 8 MiB kept in memory
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, inquiry.FormPath, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	env.Server.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Errorf("a form without a token: %d, want 403", rec.Code)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "multipart-") {
			t.Errorf("left on disk: %s", e.Name())
		}
	}
}
