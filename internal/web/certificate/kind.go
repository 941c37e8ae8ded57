package certificate

import (
	"net/http"

	"portal/internal/application"
	"portal/internal/certificate"
	"portal/internal/form"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

// Form is the application as typed: one row per PC.
type Form struct {
	Rows [certificate.Rows]Row
}

// Row is one PC's certificate as typed.
type Row struct {
	Purpose, Name string
}

func (f Form) input() certificate.Input {
	var in certificate.Input
	for _, r := range f.Rows {
		in.Requests = append(in.Requests, certificate.Request{Purpose: r.Purpose, Name: r.Name})
	}
	return in
}

// row is one row of the form page.
type row struct {
	N int
	Row
	PurposeField form.Item
	NameField    form.Item
}

type formPage struct {
	site.Base
	Rows     []row
	Errors   form.Errors
	Purposes []string
	Live     []certificate.Certificate
	// Fields is every field in page order, for the error banner.
	Fields []string
}

// BannerItems are the errors in page order, for the banner.
func (p *formPage) BannerItems() []form.Item { return p.Errors.Items(p.Fields...) }

// Read reads the posted rows.
func (h *Handler) Read(r *http.Request) (Form, form.Errors) {
	in := form.NewInput(r.PostForm)
	var f Form
	for i := range f.Rows {
		f.Rows[i] = Row{Purpose: in.Text(certificate.FieldPurpose(i + 1)), Name: in.Text(certificate.FieldName(i + 1))}
	}
	return f, in.Errors
}

// Current is an empty form: each application asks for new certificates.
func (h *Handler) Current(r *http.Request, u *site.User) (Form, error) { return Form{}, nil }

// Check applies the certificates' rules.
func (h *Handler) Check(r *http.Request, u *site.User, f Form) (form.Errors, error) {
	return h.certs.Check(r.Context(), u.Facility.ID, f.input())
}

// FormPage builds the input page with the facility's certificates in use beside it.
func (h *Handler) FormPage(r *http.Request, u *site.User, f Form, errs form.Errors) (site.Page, error) {
	st, err := h.standing(r, u)
	if err != nil {
		return nil, err
	}
	page := &formPage{Errors: errs, Purposes: certificate.Purposes}
	for _, c := range st.Certificates {
		if c.Status != certificate.StatusCancelled && c.Status != certificate.StatusRevoked {
			page.Live = append(page.Live, c)
		}
	}
	for i, v := range f.Rows {
		p, n := certificate.FieldPurpose(i+1), certificate.FieldName(i+1)
		page.Rows = append(page.Rows, row{N: i + 1, Row: v, PurposeField: errs.Field(p, "rows-hint"), NameField: errs.Field(n, "rows-hint")})
		page.Fields = append(page.Fields, p, n)
	}
	return page, nil
}

type confirmPage struct {
	site.Base
	Requests []certificate.Request
	Nonce    string
}

// ConfirmPage builds the confirm page.
func (h *Handler) ConfirmPage(r *http.Request, u *site.User, f Form, nonce string) (site.Page, error) {
	return &confirmPage{Requests: f.input().Used(), Nonce: nonce}, nil
}

// Submit asks for the certificates (one domain call).
func (h *Handler) Submit(r *http.Request, u *site.User, f Form) (application.Receipt, error) {
	return h.certs.Submit(r.Context(), apply.Applicant(u), f.input())
}

// Closed is the page shown until the 利用申請 is approved: why, and what to do.
func (h *Handler) Closed(r *http.Request, u *site.User) (*site.NoticePage, error) {
	st, err := h.standing(r, u)
	return apply.ClosedPage(certificate.Kind.Title, st.Closure(), err, closedLinks...)
}

// standingKey is the request's memo of the facility's Standing.
type standingKey struct{}

// standing is whether the facility may apply and its certificates, read once per request
// (the closed check and the form both use it).
func (h *Handler) standing(r *http.Request, u *site.User) (certificate.Standing, error) {
	return site.Memo(r, standingKey{}, func() (certificate.Standing, error) { return h.certs.Standing(r.Context(), u.Facility.ID) })
}

// closedLinks lead on from the closed page: to the 利用申請 first.
var closedLinks = []site.NoticeLink{{Href: "/qualification", Label: "オンライン資格確認利用申請へ", Primary: true},
	{Href: "/mypage", Label: "マイページに戻る"}}
