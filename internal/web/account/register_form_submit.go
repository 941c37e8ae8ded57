package account

import (
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/password"
)

// registerFormSubmit checks the account form (確認画面へ進む): the field rules, then the
// ones that need the master. Right input is held in the session for the 確認画面.
func (h *Handler) registerFormSubmit(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := h.registrationLink(w, r)
	if !ok {
		return
	}
	reg, errs := accountform.ReadRegistration(r.PostForm, t.Email)
	v := registerValues{Prefecture: reg.Prefecture, ScoreTable: reg.ScoreTable, FacilityCode: reg.FacilityCode,
		Name: reg.Name, FounderName: reg.FounderName, Phone: reg.Phone, ContactName: reg.ContactName}
	page := newRegisterFormPage(t.Email, v)
	page.Errors = errs
	var facility account.Facility
	if !errs.Has(accountform.FieldPrefecture) && !errs.Has(accountform.FieldScoreTable) && !errs.Has(accountform.FieldFacilityCode) {
		var err error
		facility, err = h.accounts.CheckRegistration(r.Context(), reg.Prefecture, reg.ScoreTable, reg.FacilityCode, t.Email)
		if err != nil && !registrationRuleError(page, err) {
			h.ServerError(w, r, err)
			return
		}
	}
	if !page.Errors.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/register_form", page)
		return
	}
	hash, err := password.Hash(reg.Password)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	if err := h.putRegistrationDraft(r, registrationDraft{Token: raw, FacilityID: facility.ID, registerValues: v, PasswordHash: hash}); err != nil {
		h.ServerError(w, r, err)
		return
	}
	http.Redirect(w, r, "/register/confirm", http.StatusSeeOther)
}
