package inquiry

import (
	"errors"
	"net/http"
	"strconv"

	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

type newValues struct {
	Category, Name, Phone, Email, Question, Answered string
	Priority                                         int
}

type newPage struct {
	site.AdminBase
	Form       newValues
	Errors     form.Errors
	Token      string
	Categories []string
	Priorities []option
	// FacilityPick: the facility the caller is from (nil when not known), or the search for it.
	site.FacilityPick
}

// newShow is 電話の問い合わせを登録: one form for a phone caller's case, linked to the
// facility of ?facility={id} (the facility page links here) or found with ?q=.
func (h *Handler) newShow(w http.ResponseWriter, r *http.Request) {
	h.renderNew(w, r, http.StatusOK, newValues{Priority: inquiry.PriorityNormal}, nil, inquiry.NewStepToken(), number(r.URL.Query().Get("facility")))
}

func (h *Handler) renderNew(w http.ResponseWriter, r *http.Request, status int, v newValues, errs form.Errors, token string, facilityID int64) {
	p := &newPage{Form: v, Errors: errs, Token: token, Categories: inquiry.Categories, Priorities: priorityOptions()}
	var err error
	if p.FacilityPick, err = site.PickFacility(r.Context(), h.inquiries, facilityID, r.URL.Query().Get("q"), &p.Errors); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, status, "admin/inquiry/new", p)
}

// newSubmit opens the case in one step and shows it.
func (h *Handler) newSubmit(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	question, _ := inquiry.CleanText(r.PostForm.Get("question"))
	answered, _ := inquiry.CleanText(r.PostForm.Get("answered"))
	v := newValues{Category: in.Text("category"), Name: in.Text("name"), Phone: in.Phone("phone"), Email: in.Email("email"),
		Question: question, Answered: answered, Priority: int(number(r.PostForm.Get("priority")))}
	facilityID := number(r.PostForm.Get("facility_id"))
	token := r.PostForm.Get("token")
	if !in.Errors.Valid() {
		h.renderNew(w, r, http.StatusUnprocessableEntity, v, in.Errors, token, facilityID)
		return
	}
	id, err := h.inquiries.OpenForCaller(r.Context(), site.CurrentOperator(r).ID, inquiry.PhoneCase{FacilityID: facilityID,
		Category: v.Category, Name: v.Name, Phone: v.Phone, Email: v.Email, Question: v.Question, AnsweredByPhone: v.Answered,
		Priority: v.Priority}, token)
	var invalid *inquiry.InvalidError
	switch {
	case errors.As(err, &invalid):
		h.renderNew(w, r, http.StatusUnprocessableEntity, v, invalid.Errors, token, facilityID)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "電話のお問い合わせを登録しました。")
	http.Redirect(w, r, Base+"/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
