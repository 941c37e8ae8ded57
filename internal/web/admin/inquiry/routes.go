// Package inquiry is お問い合わせ対応 in the back office: the inbox with its filters, keyset
// pages and counts, one case with its thread and the operators' steps (answer with a
// template, internal note, status, assignee, priority, linked facility), a phone caller's
// case opened in one step (/admin/inquiries/new?facility={id}, linked from a facility's
// page), and the answer templates supervisors manage.
package inquiry

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// Handler serves the inquiry pages of the back office.
type Handler struct {
	*site.Site
	inquiries *inquiry.Service
}

// New returns the inquiry pages of the back office.
func New(s *site.Site, inquiries *inquiry.Service) *Handler {
	return &Handler{Site: s, inquiries: inquiries}
}

// Base is the inbox's path.
const Base = "/admin/inquiries"

// Mount registers the routes (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get(Base, h.index)
	r.Get(Base+"/new", h.newShow)
	r.Post(Base+"/new", h.newSubmit)
	r.Get(Base+"/{id}", h.show)
	r.Post(Base+"/{id}/answer", h.answer)
	r.Post(Base+"/{id}/note", h.note)
	r.Post(Base+"/{id}/status", h.status)
	r.Post(Base+"/{id}/update", h.update)
	r.Post(Base+"/{id}/facility", h.linkFacility)
	r.Get(Base+"/{id}/files/{file}", h.file)
	r.Group(func(r chi.Router) {
		r.Use(h.RequireSupervisor)
		r.Get(Base+"/templates", h.templatesIndex)
		r.Get(Base+"/templates/new", h.templateShow)
		r.Post(Base+"/templates/new", h.templateSave)
		r.Get(Base+"/templates/{id}", h.templateShow)
		r.Post(Base+"/templates/{id}", h.templateSave)
		r.Post(Base+"/templates/{id}/delete", h.templateDelete)
	})
}

// param reads a positive number from the route; 0 when it is not one.
func param(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// number reads a positive number from a form or query value; 0 when it is not one.
func number(v string) int64 {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func caseURL(id int64) string { return Base + "/" + strconv.FormatInt(id, 10) }

// option is one choice of a select.
type option struct {
	Value int
	Label string
}

func priorityOptions() []option {
	var out []option
	for _, p := range inquiry.Priorities {
		out = append(out, option{p, inquiry.PriorityLabel(p)})
	}
	return out
}
