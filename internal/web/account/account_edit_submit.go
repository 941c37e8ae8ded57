package account

import (
	"net/http"
	"portal/internal/web/site"
)

// accountEditSubmit checks the edit and keeps it for the 確認画面.
func (h *Handler) accountEditSubmit(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	d, errs := readProfileEdit(r.PostForm)
	if !errs.Valid() {
		page := h.editPage(p, accountFormValues{Name: d.Name, FounderName: d.FounderName, Phone: d.Phone, ContactName: d.ContactName})
		page.Errors = errs
		h.Render(w, r, http.StatusUnprocessableEntity, "account/form", page)
		return
	}
	err := h.putPending(r, pendingAccount{Owner: owner(p), Name: d.Name, FounderName: d.FounderName, Phone: d.Phone, ContactName: d.ContactName})
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/edit/confirm", http.StatusSeeOther)
}
