package inquiry

import (
	"errors"
	"net/http"

	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

type showPage struct {
	site.AdminBase
	Case       inquiry.Case
	Steps      []inquiry.Transition
	Assignees  []inquiry.Person
	Priorities []option
	Templates  []inquiry.Template
	// TemplateID is the template whose text fills the answer.
	TemplateID int64
	Answer     string
	Note       string
	Token      string
	Errors     form.Errors
	// Closed explains, instead of the answer form, why a closed case takes no answer.
	Closed string
	// Q is the facility search (to link the case); Hits what it found.
	Q    string
	Hits []inquiry.FacilityHit
	// Searched tells an empty result from no search.
	Searched bool
}

// show is one case: its thread, the steps the status allows, the answer form (filled from
// a template with ?template=ID) and the facility search (?q=).
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	h.renderCase(w, r, http.StatusOK, func(p *showPage) {})
}

// renderCase loads the case and its choices, lets adjust fill in what was posted, and
// renders it.
func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, status int, adjust func(*showPage)) {
	ctx := r.Context()
	c, err := h.inquiries.Case(ctx, param(r, "id"))
	if errors.Is(err, inquiry.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	p := &showPage{Case: c, Steps: inquiry.Steps(c.Status), Priorities: priorityOptions(), Token: inquiry.NewStepToken()}
	if p.Assignees, err = h.inquiries.Assignees(ctx); err != nil {
		h.ServerError(w, r, err)
		return
	}
	if p.Templates, err = h.inquiries.Templates(ctx); err != nil {
		h.ServerError(w, r, err)
		return
	}
	if c.Status == inquiry.Closed {
		p.Closed = inquiry.MsgClosedAnswer
	}
	q := r.URL.Query()
	if id := number(q.Get("template")); id != 0 {
		for _, t := range p.Templates {
			if t.ID == id {
				p.TemplateID, p.Answer = id, t.Fill(c.Inquiry)
			}
		}
	}
	if s := q.Get("q"); s != "" && len(s) <= 300 {
		p.Q, p.Searched = s, true
		if p.Hits, err = h.inquiries.SearchFacilities(ctx, s); err != nil {
			h.ServerError(w, r, err)
			return
		}
	}
	adjust(p)
	h.RenderAdmin(w, r, status, "admin/inquiry/show", p)
}

// file sends an attachment of the case.
func (h *Handler) file(w http.ResponseWriter, r *http.Request) {
	c, err := h.inquiries.Case(r.Context(), param(r, "id"))
	if errors.Is(err, inquiry.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	want := param(r, "file")
	for _, m := range c.Thread {
		for _, a := range m.Attachments {
			if a.ID == want {
				f, err := h.inquiries.Attachment(r.Context(), a.ID)
				if err != nil {
					h.ServerError(w, r, err)
					return
				}
				site.Download(w, f.Filename, f.ContentType, f.Data)
				return
			}
		}
	}
	h.NotFound(w, r)
}
