package web

import "net/http"

// accountEditShow is a registered facility's アカウント情報編集: the particulars, pre-filled
// from the account; 都道府県名, 点数表コード and 医療機関等コード stay fixed, and the address
// and password have their own pages.
func (s *Server) accountEditShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	a := p.Account
	values := accountFormValues{Name: a.FacilityName, FounderName: a.FounderName, Phone: a.Phone, ContactName: a.ContactName}
	if pa, ok := s.pending(r, p); ok {
		values = accountFormValues{Name: pa.Name, FounderName: pa.FounderName, Phone: pa.Phone, ContactName: pa.ContactName}
	}
	s.render(w, r, http.StatusOK, "account_form", s.editPage(p, values))
}

func (s *Server) editPage(p *signedIn, values accountFormValues) *accountFormPage {
	return &accountFormPage{Facility: p.Facility, Email: p.Account.Email, Form: values, Order: profileEditOrder, Action: "/account/edit"}
}
