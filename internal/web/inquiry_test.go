package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portal/internal/filecheck"
	"portal/internal/inquiry"
	"portal/internal/webtest"
)

var (
	formToken    = regexp.MustCompile(`name="form_token" value="([^"]+)"`)
	stepToken    = regexp.MustCompile(`name="token" value="([^"]+)"`)
	inquiryRefRe = regexp.MustCompile(`IQ\d{6}-\d{6}`)
)

// inquiryForm fetches /inquiry and returns the form filled with valid values.
func inquiryForm(t *testing.T, c *webtest.Client, email string) url.Values {
	t.Helper()
	res := c.Get("/inquiry")
	if res.Status != http.StatusOK {
		t.Fatalf("/inquiry: %d", res.Status)
	}
	m := formToken.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatal("no form token on /inquiry")
	}
	return url.Values{"form_token": {html.UnescapeString(m[1])}, "category": {inquiry.Categories[0]}, "name": {"山田 花子"},
		"email": {email}, "phone": {"03-1234-5678"}, "question": {"ログインできません。"}, "website": {""}}
}

// postMultipart posts v and, when data is given, a file under field.
func postMultipart(t *testing.T, c *webtest.Client, path string, v url.Values, field, filename string, data []byte) *webtest.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf_token", c.CSRF)
	for k, vs := range v {
		for _, x := range vs {
			_ = mw.WriteField(k, x)
		}
	}
	if data != nil {
		fw, _ := mw.CreateFormFile(field, filename)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	return c.PostRaw(path, mw.FormDataContentType(), b.String())
}

func countRows(t *testing.T, env *webtest.Env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := env.DB.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInquiryFormVisitor(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	c := env.Client(t)
	v := inquiryForm(t, c, "visitor@example.jp")

	// Sent at once: refused as too fast, nothing typed lost.
	res := c.PostForm("/inquiry", v)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "送信までの時間が短すぎた") || !strings.Contains(res.Body, "ログインできません。") {
		t.Fatalf("too fast: %d\n%s", res.Status, short(res.Body))
	}
	env.Services.Inquiries.MinFillTime = 0

	// 100,000 characters: a clear message, the text kept in the form.
	long := strings.Repeat("長", 100000)
	v2 := inquiryForm(t, c, "visitor@example.jp")
	v2.Set("question", long)
	res = c.PostForm("/inquiry", v2)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "10,000文字以内で入力してください（現在100,000文字）") ||
		!strings.Contains(res.Body, long) {
		t.Fatalf("100,000 characters: %d, message or text missing", res.Status)
	}

	// A program renamed .pdf.
	exe := append([]byte("MZ\x90\x00\x03\x00"), bytes.Repeat([]byte{0}, 300)...)
	res = postMultipart(t, c, "/inquiry", inquiryForm(t, c, "visitor@example.jp"), "attachment", "invoice.pdf", exe)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "添付できるのはPDF・PNG・JPEGのファイルです") {
		t.Fatalf("exe as .pdf: %d\n%s", res.Status, short(res.Body))
	}

	// Sent with a PDF, then the same form again (a double click): one case, one receipt.
	v3 := inquiryForm(t, c, "visitor@example.jp")
	res = postMultipart(t, c, "/inquiry", v3, "attachment", "画面.pdf", filecheck.SamplePDF("screen"))
	if res.Status != http.StatusSeeOther || res.Location != "/inquiry/complete" {
		t.Fatalf("send: %d %s\n%s", res.Status, res.Location, short(res.Body))
	}
	page := c.Get("/inquiry/complete")
	ref := inquiryRefRe.FindString(page.Body)
	if page.Status != http.StatusOK || ref == "" {
		t.Fatalf("receipt: %d\n%s", page.Status, short(page.Body))
	}
	res = postMultipart(t, c, "/inquiry", v3, "attachment", "画面.pdf", filecheck.SamplePDF("screen"))
	if res.Status != http.StatusSeeOther {
		t.Fatalf("second post: %d", res.Status)
	}
	if again := inquiryRefRe.FindString(c.Get("/inquiry/complete").Body); again != ref {
		t.Errorf("second post's receipt %q, want %q", again, ref)
	}
	if n := countRows(t, env, `SELECT count(*) FROM inquiries`); n != 1 {
		t.Errorf("%d cases, want 1", n)
	}
	m := env.WaitMail(t, "visitor@example.jp", "お問い合わせ受付のお知らせ")
	if !strings.Contains(m.Subject, ref) || !strings.Contains(m.Body, ref) {
		t.Errorf("receipt mail: %s\n%s", m.Subject, m.Body)
	}
	// The receipt page once only; a visitor's list of cases does not exist.
	if res := c.Get("/inquiry/complete"); res.Status != http.StatusSeeOther {
		t.Errorf("receipt again: %d", res.Status)
	}
	if res := c.Get("/mypage/inquiries"); res.Status != http.StatusSeeOther {
		t.Errorf("visitor's /mypage/inquiries: %d", res.Status)
	}
}

func TestInquiryFacilityOwnCasesOnly(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	env.Services.Inquiries.MinFillTime = 0
	f, a, c := crFacility(t, env, "診療所", 1, "1234567", false)
	_, _, other := crFacility(t, env, "診療所", 1, "7654321", false)

	v := inquiryForm(t, c, a.Email)
	page := c.Get("/inquiry")
	if !strings.Contains(page.Body, f.TenDigitCode()) || !strings.Contains(page.Body, `value="`+a.Email+`"`) {
		t.Errorf("signed-in form not filled:\n%s", short(page.Body))
	}
	v.Set("facility_code", "0000000") // ignored: the facility's own code is used
	if res := c.PostForm("/inquiry", v); res.Status != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", res.Status, short(res.Body))
	}
	var id int64
	var code string
	if err := env.DB.QueryRow(context.Background(), `SELECT id, facility_code FROM inquiries WHERE facility_id = $1`, f.ID).Scan(&id, &code); err != nil || code != f.TenDigitCode() {
		t.Fatalf("case tied to the facility: %v %q", err, code)
	}
	list := c.Get("/mypage/inquiries")
	if list.Status != http.StatusOK || !inquiryRefRe.MatchString(list.Body) {
		t.Fatalf("own list: %d", list.Status)
	}
	own := c.Get(fmt.Sprintf("/mypage/inquiries/%d", id))
	if own.Status != http.StatusOK || !strings.Contains(own.Body, "ログインできません。") {
		t.Fatalf("own case: %d", own.Status)
	}
	// The other facility: nothing, whatever the ID.
	for _, p := range []string{fmt.Sprintf("/mypage/inquiries/%d", id), fmt.Sprintf("/mypage/inquiries/%d/files/1", id)} {
		if res := other.Get(p); res.Status != http.StatusNotFound {
			t.Errorf("other facility %s: %d", p, res.Status)
		}
	}
	if res := other.Get("/mypage/inquiries"); strings.Contains(res.Body, "IQ") {
		t.Error("the other facility's list shows the case")
	}
	tok := stepToken.FindStringSubmatch(own.Body)
	res := other.PostForm(fmt.Sprintf("/mypage/inquiries/%d/reply", id), url.Values{"body": {"横から"}, "token": {tok[1]}})
	if res.Status != http.StatusNotFound {
		t.Errorf("other facility's reply: %d", res.Status)
	}
	res = c.PostForm(fmt.Sprintf("/mypage/inquiries/%d/reply", id), url.Values{"body": {"追加の情報です。"}, "token": {tok[1]}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("own reply: %d\n%s", res.Status, short(res.Body))
	}
	if n := countRows(t, env, `SELECT count(*) FROM inquiry_messages WHERE inquiry_id = $1 AND kind = 'reply'`, id); n != 1 {
		t.Errorf("%d replies, want 1", n)
	}
}
