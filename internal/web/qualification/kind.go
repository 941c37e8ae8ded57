package qualification

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/form"
	"portal/internal/jp"
	"portal/internal/qualification"
	"portal/internal/web/apply"
	"portal/internal/web/site"
)

// providerGroup is one 電気通信回線種別 with its providers, for the form's select.
type providerGroup struct {
	LineType  string
	Providers []string
}

// formPage is the input page.
type formPage struct {
	site.Base
	Form      Form
	Errors    form.Errors
	Facility  account.Facility
	Existing  *qualification.Application
	LineTypes []string
	Groups    []providerGroup
	// ThisMonth is today's month in JST, the earliest one accepted.
	ThisMonth string
}

// Read reads the posted form.
func (h *Handler) Read(r *http.Request) (Form, form.Errors) {
	in := form.NewInput(r.PostForm)
	return readForm(in), in.Errors
}

// Current is the facility's 利用申請 in the form, or the empty form.
func (h *Handler) Current(r *http.Request, u *site.User) (Form, error) {
	a, err := h.existing(r, u)
	if a == nil || err != nil {
		return Form{}, err
	}
	return formOf(a.Input), nil
}

// Check applies the 利用申請's rules.
func (h *Handler) Check(r *http.Request, u *site.User, f Form) (form.Errors, error) {
	return h.apps.Check(f.input()), nil
}

// FormPage builds the input page.
func (h *Handler) FormPage(r *http.Request, u *site.User, f Form, errs form.Errors) (site.Page, error) {
	page := &formPage{Form: f, Errors: errs, Facility: u.Facility, LineTypes: qualification.LineTypes,
		ThisMonth: jp.YearMonth(jp.YearMonthOf(jp.Now()))}
	for _, t := range qualification.LineTypes {
		page.Groups = append(page.Groups, providerGroup{LineType: t, Providers: qualification.Providers[t]})
	}
	var err error
	page.Existing, err = h.existing(r, u)
	return page, err
}

// currentKey is the request's memo of the facility's 利用申請.
type currentKey struct{}

// existing is the facility's 利用申請, or nil, read once per request: the closed check,
// the form and the page beside it all show it.
func (h *Handler) existing(r *http.Request, u *site.User) (*qualification.Application, error) {
	return site.Memo(r, currentKey{}, func() (*qualification.Application, error) {
		a, err := h.apps.Current(r.Context(), u.Facility.ID)
		switch {
		case err == nil:
			return &a, nil
		case errors.Is(err, qualification.ErrNotFound):
			return nil, nil
		}
		return nil, err
	})
}

// confirmPage is the confirm page.
type confirmPage struct {
	site.Base
	Facility account.Facility
	Lines    []string
	Nonce    string
	Existing *qualification.Application
}

// ConfirmPage builds the confirm page.
func (h *Handler) ConfirmPage(r *http.Request, u *site.User, f Form, nonce string) (site.Page, error) {
	existing, err := h.existing(r, u)
	return &confirmPage{Facility: u.Facility, Lines: qualification.Describe(f.input()), Nonce: nonce, Existing: existing}, err
}

// Submit stores the 利用申請 (one domain call).
func (h *Handler) Submit(r *http.Request, u *site.User, f Form) (application.Receipt, error) {
	return h.apps.Submit(r.Context(), apply.Applicant(u), f.input())
}

// Closed is the page shown instead of the form once the application is approved.
func (h *Handler) Closed(r *http.Request, u *site.User) (*site.NoticePage, error) {
	a, err := h.existing(r, u)
	var c *application.Closure
	if a != nil {
		c = qualification.ClosureOf(*a)
	}
	return apply.ClosedPage(qualification.Kind.Title, c, err,
		site.NoticeLink{Href: "/certificates", Label: "電子証明書発行申請へ進む", Primary: true}, site.NoticeLink{Href: "/mypage", Label: "マイページに戻る"})
}
