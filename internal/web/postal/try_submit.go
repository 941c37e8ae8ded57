package postal

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/pref"
)

// trySubmit is the page's form submitted without JavaScript: the lookup button, or
// the button that takes one of several candidates. What was typed is kept.
func (h *Handler) trySubmit(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	page := h.newTryPage(r)
	page.Form = tryForm{Zip1: in.Text("zip1"), Zip2: in.Text("zip2"), Address: in.Text("addr"), Building: in.Text("building")}
	if n, ok := form.Integer(in.Text("pref")); ok && pref.Name(n) != "" {
		page.Form.Prefecture = n
	}
	page.Errors.Merge(in.Errors)
	status := http.StatusOK
	if Requested(r) {
		pf, err := NewFill(r, h.postal, "zip1", "zip2")
		if err != nil {
			h.ServerError(w, r, err)
			return
		}
		if a := pf.Chosen; a != nil {
			page.Form.Prefecture, page.Form.Address = a.PrefectureCode, a.Line()
		}
		page.Postal = pf
		page.Errors.Merge(pf.Errors)
		status = pf.Status()
	}
	if !page.Errors.Valid() {
		status = http.StatusUnprocessableEntity
	}
	h.Render(w, r, status, "postal/try", page)
}
