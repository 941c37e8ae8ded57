package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/password"
	"portal/internal/web/site"
)

// accountSetupSubmit checks the forced edit and, when it is right, keeps it for the
// 確認画面. The new password is hashed here, so the confirmation needs no password field.
func (h *Handler) accountSetupSubmit(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	ctx := r.Context()
	var lookupErr error
	isProvisional := func(pw string) bool {
		ok, err := h.accounts.ProvisionalSecretMatches(ctx, p.Provisional.ID, pw)
		if err != nil {
			lookupErr = err
		}
		return ok
	}
	v, errs := accountform.ReadProvisionalEdit(r.PostForm, p.Provisional.LoginID, isProvisional)
	if lookupErr != nil {
		h.ServerError(w, r, lookupErr)
		return
	}
	if !errs.Has(accountform.FieldEmail) {
		// The facility's own account (a パスワード等通知書) may keep its address.
		a, err := h.accounts.ByEmail(ctx, v.Email)
		switch {
		case err == nil && a.FacilityID != p.Facility.ID:
			errs.Add(accountform.FieldEmail, msgEmailTaken)
		case err != nil && !errors.Is(err, account.ErrNotFound):
			h.ServerError(w, r, err)
			return
		}
	}
	values := accountFormValues{Name: v.Name, FounderName: v.FounderName, Phone: v.Phone, ContactName: v.ContactName,
		Email: v.Email, EmailConfirm: v.EmailConfirm}
	if !errs.Valid() {
		page := h.setupPage(p, values)
		page.Errors = errs
		h.Render(w, r, http.StatusUnprocessableEntity, "account/form", page)
		return
	}
	hash, err := password.Hash(v.Password)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	err = h.putPending(r, pendingAccount{Owner: owner(p), Name: v.Name, FounderName: v.FounderName, Phone: v.Phone,
		ContactName: v.ContactName, Email: v.Email, PasswordHash: hash})
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, site.ProvisionalEditPath+"/confirm", http.StatusSeeOther)
}
