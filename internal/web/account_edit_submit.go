package web

import "net/http"

// accountEditSubmit checks the edit and keeps it for the 確認画面.
func (s *Server) accountEditSubmit(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	d, errs := readProfileEdit(r.PostForm)
	if !errs.Valid() {
		page := s.editPage(p, accountFormValues{Name: d.Name, FounderName: d.FounderName, Phone: d.Phone, ContactName: d.ContactName})
		page.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "account_form", page)
		return
	}
	err := s.putPending(r, pendingAccount{Owner: owner(p), Name: d.Name, FounderName: d.FounderName, Phone: d.Phone, ContactName: d.ContactName})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/edit/confirm", http.StatusSeeOther)
}
