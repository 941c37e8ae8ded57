package cardreader

import (
	"net/http"
	"strconv"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/cardreader"
	"portal/internal/form"
	"portal/internal/pref"
	"portal/internal/web/apply"
	"portal/internal/web/postal"
	"portal/internal/web/site"
)

// slot is one カードリーダーN block of the page.
type slot struct {
	N          int
	Model, Qty string
	ModelField form.Item
	QtyField   form.Item
}

// formPage is the input page.
type formPage struct {
	site.Base
	Form        Form
	Errors      form.Errors
	Facility    account.Facility
	Existing    *cardreader.Application
	Catalog     []cardreader.Model
	Slots       []slot
	Pharmacy    bool
	MaxReaders  int
	Choices     []string
	Prefectures []pref.Prefecture
	// Postal is the answer of 【郵便番号から住所検索】 without JavaScript.
	Postal *postal.Fill
}

// standingKey is the request's memo of the facility's Standing.
type standingKey struct{}

// standing is the facility's live application and the readers it may choose, read once
// per request in one round trip (the closed check, the form and the rules all use them).
func (h *Handler) standing(r *http.Request, u *site.User) (cardreader.Standing, error) {
	return site.Memo(r, standingKey{}, func() (cardreader.Standing, error) { return h.readers.Standing(r.Context(), u.Facility.ID) })
}

// current is the facility's live application, or nil.
func (h *Handler) current(r *http.Request, u *site.User) (*cardreader.Application, error) {
	st, err := h.standing(r, u)
	return st.Application, err
}

// Read reads the posted form, dropping the survey answer this kind of facility is not asked.
func (h *Handler) Read(r *http.Request) (Form, form.Errors) {
	in := form.NewInput(r.PostForm)
	return readForm(in).forFacility(site.CurrentUser(r).Facility), in.Errors
}

// Current is the facility's live application in the form, or the empty form.
func (h *Handler) Current(r *http.Request, u *site.User) (Form, error) {
	app, err := h.current(r, u)
	if app == nil || err != nil {
		return Form{}, err
	}
	return formFromApplication(*app), nil
}

// Check applies the card reader rules.
func (h *Handler) Check(r *http.Request, u *site.User, f Form) (form.Errors, error) {
	st, err := h.standing(r, u)
	if err != nil {
		return nil, err
	}
	return h.readers.CheckAgainst(f.input(), u.Facility, st.Catalog, st.Application != nil), nil
}

// FormPage builds the input page.
func (h *Handler) FormPage(r *http.Request, u *site.User, f Form, errs form.Errors) (site.Page, error) {
	st, err := h.standing(r, u)
	if err != nil {
		return nil, err
	}
	page := &formPage{Form: f, Errors: errs, Facility: u.Facility, Catalog: st.Catalog, Existing: st.Application,
		Pharmacy: cardreader.IsPharmacy(u.Facility), MaxReaders: cardreader.MaxReaders(u.Facility),
		Choices: cardreader.Choices, Prefectures: pref.All()}
	for i := range cardreader.Slots {
		page.Slots = append(page.Slots, slot{N: i + 1, Model: f.Model[i], Qty: f.Qty[i],
			ModelField: errs.Field(cardreader.FieldModel(i+1), "readers-hint"),
			QtyField:   errs.Field(cardreader.FieldQuantity(i+1), "limit-hint")})
	}
	return page, nil
}

// confirmPage is the confirm page.
type confirmPage struct {
	site.Base
	Facility    account.Facility
	Description cardreader.Description
	Nonce       string
	Existing    bool
}

// ConfirmPage builds the confirm page.
func (h *Handler) ConfirmPage(r *http.Request, u *site.User, f Form, nonce string) (site.Page, error) {
	st, err := h.standing(r, u)
	if err != nil {
		return nil, err
	}
	return &confirmPage{Facility: u.Facility, Description: cardreader.Describe(f.input(), u.Facility, st.Catalog),
		Nonce: nonce, Existing: st.Application != nil}, nil
}

// Submit stores the application (one domain call).
func (h *Handler) Submit(r *http.Request, u *site.User, f Form) (application.Receipt, error) {
	return h.readers.Submit(r.Context(), apply.Applicant(u), f.input())
}

// Closed is the page shown instead of the form once a delivery date is set: the form says
// so and offers nothing to change.
func (h *Handler) Closed(r *http.Request, u *site.User) (*site.NoticePage, error) {
	app, err := h.current(r, u)
	return apply.ClosedPage(cardreader.Kind.Title, cardreader.ClosureOf(app), err)
}

// Intercept answers 【郵便番号から住所検索】 pressed without JavaScript: the address is filled
// from the postal code (or several are offered) and everything typed is kept.
func (h *Handler) Intercept(w http.ResponseWriter, r *http.Request, u *site.User, f Form, errs form.Errors) bool {
	if !postal.Requested(r) {
		return false
	}
	pf, err := postal.NewFill(r, h.postal, cardreader.FieldDeliveryZip, "delivery_zip2")
	if err != nil {
		h.ServerError(w, r, err)
		return true
	}
	f.DeliveryChange = true
	if a := pf.Chosen; a != nil {
		f.Pref, f.Address = strconv.Itoa(a.PrefectureCode), a.Line()
	}
	errs.Merge(pf.Errors)
	page, err := h.FormPage(r, u, f, errs)
	if err != nil {
		h.ServerError(w, r, err)
		return true
	}
	page.(*formPage).Postal = pf
	status := pf.Status()
	if !errs.Valid() {
		status = http.StatusUnprocessableEntity
	}
	h.Render(w, r, status, "cardreader/form", page)
	return true
}
