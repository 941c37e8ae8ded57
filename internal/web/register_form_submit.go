package web

import (
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/password"
)

// registerFormSubmit checks the account form (確認画面へ進む): the field rules, then the
// ones that need the master. Right input is held in the session for the 確認画面.
func (s *Server) registerFormSubmit(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := s.registrationLink(w, r)
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
		facility, err = account.CheckRegistration(r.Context(), s.db, reg.Prefecture, reg.ScoreTable, reg.FacilityCode, t.Email)
		if err != nil && !registrationRuleError(page, err) {
			s.serverError(w, r, err)
			return
		}
	}
	if !page.Errors.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "register_form", page)
		return
	}
	hash, err := password.Hash(reg.Password)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.putRegistrationDraft(r, registrationDraft{Token: raw, FacilityID: facility.ID, registerValues: v, PasswordHash: hash}); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/register/confirm", http.StatusSeeOther)
}
