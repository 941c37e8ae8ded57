package inquiry

import (
	"errors"
	"net/http"
	"strconv"

	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/ratelimit"
	"portal/internal/web/site"
)

// Session keys of the receipt shown after sending.
const (
	sessReference = "inquiry_reference"
	sessEmail     = "inquiry_email"
)

// values is the form as typed, shown back unchanged beside its errors.
type values struct {
	Category, FacilityCode, Name, Email, Phone, Question string
}

type formPage struct {
	site.Base
	Form       values
	Errors     form.Errors
	Token      string
	Categories []string
	// Facility is the signed-in facility the inquiry is tied to (nil for a visitor).
	Facility *facilityLine
	// Notice is a message above the form for refusals that are not one field's.
	Notice        string
	MaxAttachment int
}

type facilityLine struct{ Name, Code string }

func (h *Handler) newPage(r *http.Request, v values, errs form.Errors, token string) *formPage {
	p := &formPage{Form: v, Errors: errs, Token: token, Categories: inquiry.Categories, MaxAttachment: inquiry.MaxAttachment >> 20}
	if u := site.CurrentUser(r); u != nil && u.Account != nil {
		p.Facility = &facilityLine{Name: u.Account.FacilityName, Code: u.Facility.TenDigitCode()}
	}
	return p
}

// formShow is the inquiry form; a signed-in facility finds its contact details filled in.
func (h *Handler) formShow(w http.ResponseWriter, r *http.Request) {
	var v values
	if u := site.CurrentUser(r); u != nil && u.Account != nil {
		v = values{Name: u.Account.ContactName, Email: u.Account.Email, Phone: u.Account.Phone}
	}
	if c := r.URL.Query().Get("category"); c != "" {
		for _, k := range inquiry.Categories {
			if k == c {
				v.Category = c
			}
		}
	}
	h.Render(w, r, http.StatusOK, "inquiry/form", h.newPage(r, v, nil, h.inquiries.FormToken()))
}

// read turns the posted form into the service's input and the values to show back.
func read(r *http.Request) (inquiry.Input, values, form.Errors) {
	in := form.NewInput(r.PostForm)
	question, dropped := inquiry.CleanText(r.PostForm.Get("question"))
	v := values{
		Category:     in.Text("category"),
		FacilityCode: in.Digits("facility_code"),
		Name:         in.Text("name"),
		Email:        in.Email("email"),
		Phone:        in.Phone("phone"),
		Question:     question,
	}
	errs := in.Errors
	if dropped {
		errs.Add("question", inquiry.MsgDropped)
	}
	input := inquiry.Input{Category: v.Category, FacilityCode: v.FacilityCode, Name: v.Name, Email: v.Email, Phone: v.Phone,
		Question: v.Question, Honeypot: r.PostForm.Get("website"), Token: r.PostForm.Get("form_token"),
		Attachment: readUpload(r, "attachment", inquiry.MaxAttachment)}
	return input, v, errs
}

// formSubmit sends the inquiry. Whatever refuses it (a field, the fill time, the limits)
// shows the form again with everything typed kept; the same form sent twice shows the
// first case's receipt.
func (h *Handler) formSubmit(w http.ResponseWriter, r *http.Request) {
	in, v, errs := read(r)
	token := in.Token
	who := inquiry.Sender{}
	if u := site.CurrentUser(r); u != nil && u.Account != nil {
		who = inquiry.Sender{FacilityID: u.Facility.ID, AccountID: u.Account.ID, FacilityCode: u.Facility.TenDigitCode()}
	}
	if !errs.Valid() {
		errs.Merge(inquiry.CheckInput(in, who.FacilityID != 0))
		h.Render(w, r, http.StatusUnprocessableEntity, "inquiry/form", h.newPage(r, v, errs, token))
		return
	}
	rc, err := h.inquiries.Submit(r.Context(), who, in, h.ClientAddr(r))
	var invalid *inquiry.InvalidError
	var limited *ratelimit.Exceeded
	page := h.newPage(r, v, nil, token)
	status := http.StatusUnprocessableEntity
	switch {
	case err == nil:
		h.Sessions.Put(r.Context(), sessReference, rc.Reference)
		h.Sessions.Put(r.Context(), sessEmail, rc.Email)
		http.Redirect(w, r, FormPath+"/complete", http.StatusSeeOther)
		return
	case errors.As(err, &invalid):
		page.Errors = invalid.Errors
	case errors.Is(err, inquiry.ErrTooFast):
		page.Notice = inquiry.MsgTooFast
	case errors.Is(err, inquiry.ErrTokenExpired), errors.Is(err, inquiry.ErrTokenInvalid):
		page.Notice, page.Token = inquiry.MsgExpired, h.inquiries.FormToken()
	case errors.Is(err, inquiry.ErrSpam):
		page.Notice = inquiry.MsgSpam
	case errors.As(err, &limited):
		page.Notice = "短い時間に多くのお問い合わせがあったため、受け付けを一時停止しています。入力内容はそのまま残っています。しばらく時間をおいてから、もう一度「送信する」を押してください。お急ぎの場合はコールセンターへお電話ください。"
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(limited.RetryAfter.Seconds()))))
		status = http.StatusTooManyRequests
	default:
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, status, "inquiry/form", page)
}

type completePage struct {
	site.Base
	Reference, Email string
	SignedIn         bool
}

// complete is the receipt page: the 問い合わせ番号 of what was just sent.
func (h *Handler) complete(w http.ResponseWriter, r *http.Request) {
	ref := h.Sessions.PopString(r.Context(), sessReference)
	email := h.Sessions.PopString(r.Context(), sessEmail)
	if ref == "" {
		http.Redirect(w, r, FormPath, http.StatusSeeOther)
		return
	}
	u := site.CurrentUser(r)
	h.Render(w, r, http.StatusOK, "inquiry/complete", &completePage{Reference: ref, Email: email, SignedIn: u != nil && u.Account != nil})
}
