package account

import (
	"net/http"

	"portal/internal/accountform"
	"portal/internal/form"
)

// msgLookupFilled tells that the blank particulars were filled from the master.
const msgLookupFilled = "支払基金で把握している医療機関等名・開設者氏名・電話番号を表示しました。内容をご確認のうえ、必要に応じて修正してください。"

// registerLookup fills, from the facility master, the particulars left blank once
// 都道府県, 点数表コード and 医療機関等コード are given (「施設情報を表示する」), like the letter
// path's 「支払基金で把握している内容（開設者名等）は登録済」. It works without JavaScript:
// the button posts the form here and the page comes back with the rest kept.
func (h *Handler) registerLookup(w http.ResponseWriter, r *http.Request) {
	_, t, ok := h.registrationLink(w, r)
	if !ok {
		return
	}
	reg, all := accountform.ReadRegistration(r.PostForm, t.Email)
	v := registerValues{Prefecture: reg.Prefecture, ScoreTable: reg.ScoreTable, FacilityCode: reg.FacilityCode,
		Name: reg.Name, FounderName: reg.FounderName, Phone: reg.Phone, ContactName: reg.ContactName}
	page := newRegisterFormPage(t.Email, v)
	for _, f := range []string{accountform.FieldPrefecture, accountform.FieldScoreTable, accountform.FieldFacilityCode} {
		if msg, bad := all[f]; bad {
			page.Errors.Add(f, msg)
		}
	}
	if page.Errors.Valid() {
		f, err := h.accounts.CheckRegistration(r.Context(), reg.Prefecture, reg.ScoreTable, reg.FacilityCode, t.Email)
		switch {
		case err == nil:
			fill(&page.Form.Name, f.Name)
			fill(&page.Form.FounderName, f.FounderName)
			fill(&page.Form.Phone, form.Phone(f.Phone))
			page.Notice = msgLookupFilled
		case !registrationRuleError(page, err):
			h.ServerError(w, r, err)
			return
		}
	}
	status := http.StatusOK
	if !page.Errors.Valid() {
		status = http.StatusUnprocessableEntity
	}
	h.Render(w, r, status, "account/register_form", page)
}

// fill sets *field to v when it is blank: what the user typed wins over the master.
func fill(field *string, v string) {
	if *field == "" {
		*field = v
	}
}
