package account

import (
	"net/http"
	"portal/internal/web/site"
)

// accountEditShow is a registered facility's アカウント情報編集: the particulars, pre-filled
// from the account; 都道府県名, 点数表コード and 医療機関等コード stay fixed, and the address
// and password have their own pages.
func (h *Handler) accountEditShow(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	a := p.Account
	values := accountFormValues{Name: a.FacilityName, FounderName: a.FounderName, Phone: a.Phone, ContactName: a.ContactName}
	if pa, ok := h.pending(r, p); ok {
		values = accountFormValues{Name: pa.Name, FounderName: pa.FounderName, Phone: pa.Phone, ContactName: pa.ContactName}
	}
	h.Render(w, r, http.StatusOK, "account/form", h.editPage(p, values))
}

func (h *Handler) editPage(p *site.User, values accountFormValues) *accountFormPage {
	return &accountFormPage{Facility: p.Facility, Email: p.Account.Email, Form: values, Order: profileEditOrder, Action: "/account/edit"}
}
