package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/web/site"
)

// accountSetupShow is the forced アカウント情報編集 after a provisional sign-in, pre-filled
// from the master: 担当者名 reads 「支払基金」 and the address is the 仮メールアドレス, both to be
// replaced; the password fields are blank. A パスワード等通知書 starts from the facility's
// account instead. Coming back from the 確認画面 shows what was typed.
func (h *Handler) accountSetupShow(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	f := p.Facility
	values := accountFormValues{Name: f.Name, FounderName: f.FounderName, Phone: f.Phone,
		ContactName: accountform.FundContact, Email: p.Provisional.LoginID, EmailConfirm: p.Provisional.LoginID}
	if p.Provisional.Kind == account.KindNotice {
		// A パスワード等通知書 is for a facility whose account exists: start from its particulars.
		a, err := h.accounts.ByFacility(r.Context(), f.ID)
		if err != nil && !errors.Is(err, account.ErrNotFound) {
			h.ServerError(w, r, err)
			return
		}
		if err == nil {
			values.Name, values.FounderName, values.Phone, values.ContactName = a.FacilityName, a.FounderName, a.Phone, a.ContactName
		}
	}
	if pa, ok := h.pending(r, p); ok {
		values = accountFormValues{Name: pa.Name, FounderName: pa.FounderName, Phone: pa.Phone, ContactName: pa.ContactName,
			Email: pa.Email, EmailConfirm: pa.Email}
	}
	h.Render(w, r, http.StatusOK, "account/form", h.setupPage(p, values))
}

func (h *Handler) setupPage(p *site.User, values accountFormValues) *accountFormPage {
	return &accountFormPage{Provisional: true, Facility: p.Facility, Form: values,
		Order: accountform.ProvisionalEditOrder, Action: site.ProvisionalEditPath}
}
