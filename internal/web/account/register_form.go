package account

import (
	"encoding/json"
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/form"
	"portal/internal/pref"
	"portal/internal/web/site"
)

// registerFormPage is the account form of new registration (アカウント情報入力).
type registerFormPage struct {
	site.Base
	// Email is the verified address, fixed.
	Email       string
	Form        registerValues
	Errors      form.Errors
	Prefectures []pref.Prefecture
	ScoreTables []pref.ScoreTable
	// FacilityTaken and ProvisionalPending show what to do instead of registering.
	FacilityTaken      bool
	ProvisionalPending bool
	// Notice says the particulars were filled from the master.
	Notice string
}

// registerValues are the fields as typed (the password excepted).
type registerValues struct {
	Prefecture   int
	ScoreTable   int
	FacilityCode string
	Name         string
	FounderName  string
	Phone        string
	ContactName  string
}

// registrationDraft is the checked input held in the session (PostgreSQL) between the
// form and 確定, never in hidden fields; the password only as its argon2id hash.
type registrationDraft struct {
	// Token is the link the input was made under: opening another link drops the draft.
	Token      string
	FacilityID int64
	registerValues
	PasswordHash string
}

func (h *Handler) putRegistrationDraft(r *http.Request, d registrationDraft) error {
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	h.Sessions.Put(r.Context(), sessRegisterDraft, string(b))
	return nil
}

// registrationDraftFor returns the draft made under the link raw, if any.
func (h *Handler) registrationDraftFor(r *http.Request, raw string) (registrationDraft, bool) {
	var d registrationDraft
	b := h.Sessions.GetString(r.Context(), sessRegisterDraft)
	if b == "" || json.Unmarshal([]byte(b), &d) != nil || d.Token != raw {
		return registrationDraft{}, false
	}
	return d, true
}

func newRegisterFormPage(email string, v registerValues) *registerFormPage {
	return &registerFormPage{Email: email, Form: v, Prefectures: pref.All(), ScoreTables: pref.ScoreTables()}
}

// registerForm shows the account form; coming back from the 確認画面 it holds what was
// typed, the password excepted.
func (h *Handler) registerForm(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := h.registrationLink(w, r)
	if !ok {
		return
	}
	d, _ := h.registrationDraftFor(r, raw)
	h.Render(w, r, http.StatusOK, "account/register_form", newRegisterFormPage(t.Email, d.registerValues))
}

// Messages of the registration rules that need the database.
const (
	msgFacilityUnknown    = "入力された都道府県・点数表コード・医療機関等コードの医療機関等が見つかりません。都道府県、点数表コード、医療機関等コードをご確認ください。"
	msgFacilityTaken      = "この医療機関等のアカウントはすでに登録されています。登録済みのメールアドレスでログインしてください。"
	msgProvisionalPending = "この医療機関等には、アカウント登録案内文書（仮メールアドレス・仮パスワード）をお送りしています。文書に記載の仮メールアドレス・仮パスワードでログインしてアカウント登録を行ってください。"
	msgRegisterEmailTaken = "このメールアドレスはすでに別の医療機関等のアカウントで登録されています。1つのメールアドレスで登録できるのは1施設です。別のメールアドレスで仮登録をやり直してください。"
)

// registrationRuleError puts the message of a registration rule that needs the database
// on the form; it reports false for any other error.
func registrationRuleError(page *registerFormPage, err error) bool {
	switch {
	case errors.Is(err, account.ErrFacilityUnknown):
		page.Errors.Add(accountform.FieldFacilityCode, msgFacilityUnknown)
	case errors.Is(err, account.ErrFacilityTaken):
		page.Errors.Add(accountform.FieldFacilityCode, msgFacilityTaken)
		page.FacilityTaken = true
	case errors.Is(err, account.ErrProvisionalPending):
		page.Errors.Add(accountform.FieldFacilityCode, msgProvisionalPending)
		page.ProvisionalPending = true
	case errors.Is(err, account.ErrEmailTaken):
		page.Errors.Add(accountform.FieldEmail, msgRegisterEmailTaken)
	default:
		return false
	}
	return true
}
