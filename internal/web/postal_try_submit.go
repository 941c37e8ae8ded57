package web

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/pref"
)

// postalTrySubmit is the page's form submitted without JavaScript: the lookup button, or
// the button that takes one of several candidates. What was typed is kept.
func (s *Server) postalTrySubmit(w http.ResponseWriter, r *http.Request) {
	in := form.NewInput(r.PostForm)
	page := s.newPostalTryPage(r)
	page.Form = postalTryForm{Zip1: in.Text("zip1"), Zip2: in.Text("zip2"), Address: in.Text("addr"), Building: in.Text("building")}
	if n, ok := form.Integer(in.Text("pref")); ok && pref.Name(n) != "" {
		page.Form.Prefecture = n
	}
	page.Errors.Merge(in.Errors)
	status := http.StatusOK
	if postalRequested(r) {
		pf, err := s.postalFill(r, "zip1", "zip2")
		if err != nil {
			s.serverError(w, r, err)
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
	s.render(w, r, status, "postal_try", page)
}
