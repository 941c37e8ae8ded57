package inquiry

import (
	"errors"
	"net/http"
	"strconv"

	"portal/internal/form"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

type templatesPage struct {
	site.AdminBase
	Templates []inquiry.Template
}

// templatesIndex lists the answer templates (supervisors).
func (h *Handler) templatesIndex(w http.ResponseWriter, r *http.Request) {
	list, err := h.inquiries.Templates(r.Context())
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/inquiry/templates", &templatesPage{Templates: list})
}

type templatePage struct {
	site.AdminBase
	Template     inquiry.Template
	SortOrder    string
	Errors       form.Errors
	Placeholders []string
}

// templateShow is the form of a new (…/new) or an existing template.
func (h *Handler) templateShow(w http.ResponseWriter, r *http.Request) {
	var t inquiry.Template
	if id := param(r, "id"); id != 0 {
		var err error
		if t, err = h.inquiries.Template(r.Context(), id); errors.Is(err, inquiry.ErrNotFound) {
			h.NotFound(w, r)
			return
		} else if err != nil {
			h.ServerError(w, r, err)
			return
		}
	} else if r.URL.Path != Base+"/templates/new" {
		h.NotFound(w, r)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/inquiry/template", &templatePage{Template: t, SortOrder: itoa(t.SortOrder),
		Placeholders: []string{inquiry.PlaceholderName, inquiry.PlaceholderCode}})
}

// templateSave stores the form.
func (h *Handler) templateSave(w http.ResponseWriter, r *http.Request) {
	id := param(r, "id")
	if id == 0 && r.URL.Path != Base+"/templates/new" {
		h.NotFound(w, r)
		return
	}
	in := form.NewInput(r.PostForm)
	body, _ := inquiry.CleanText(r.PostForm.Get("body"))
	order := in.Text("sort_order")
	t := inquiry.Template{ID: id, Title: in.Text("title"), Body: body}
	n, ok := form.Integer(order)
	errs := in.Errors
	if order != "" && !ok {
		errs.Add("sort_order", "表示順は0から9999の数字で入力してください。")
	}
	t.SortOrder = n
	if errs.Valid() {
		_, err := h.inquiries.SaveTemplate(r.Context(), site.CurrentOperator(r).ID, t)
		var invalid *inquiry.InvalidError
		switch {
		case err == nil:
			h.Flash(r, "回答テンプレートを保存しました。")
			http.Redirect(w, r, Base+"/templates", http.StatusSeeOther)
			return
		case errors.Is(err, inquiry.ErrNotFound):
			h.NotFound(w, r)
			return
		case errors.As(err, &invalid):
			errs = invalid.Errors
		default:
			h.ServerError(w, r, err)
			return
		}
	}
	h.RenderAdmin(w, r, http.StatusUnprocessableEntity, "admin/inquiry/template", &templatePage{Template: t, SortOrder: order,
		Errors: errs, Placeholders: []string{inquiry.PlaceholderName, inquiry.PlaceholderCode}})
}

// templateDelete removes a template.
func (h *Handler) templateDelete(w http.ResponseWriter, r *http.Request) {
	err := h.inquiries.DeleteTemplate(r.Context(), site.CurrentOperator(r).ID, param(r, "id"))
	if errors.Is(err, inquiry.ErrNotFound) {
		h.NotFound(w, r)
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "回答テンプレートを削除しました。")
	http.Redirect(w, r, Base+"/templates", http.StatusSeeOther)
}

func itoa(n int) string {
	return strconv.Itoa(n)
}
