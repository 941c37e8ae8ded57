package account

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/form"
	"portal/internal/web/site"
)

// The account form (アカウント情報編集) serves two cases: the forced edit after a provisional
// sign-in (/account/setup, which also sets the address and password and creates the
// account) and a registered facility's edit (/account/edit, particulars only). Both go
// input → 確認画面 → 確定, and keep what was typed between the steps in the session (in
// PostgreSQL), never in hidden fields; the chosen password is kept only as its argon2id hash.

// msgEmailTaken is shown beside an address another account uses.
const msgEmailTaken = "このメールアドレスは既に別のアカウントで登録されています。別のメールアドレスを入力してください。"

// accountFormValues are the editable fields as typed or pre-filled.
type accountFormValues struct {
	Name         string
	FounderName  string
	Phone        string
	ContactName  string
	Email        string
	EmailConfirm string
}

// accountFormPage is the input page of either case.
type accountFormPage struct {
	site.Base
	// Provisional is the forced edit (address and password are part of it).
	Provisional bool
	// Facility gives the fixed fields: 都道府県名, 点数表コード, 医療機関等コード.
	Facility account.Facility
	// Email is a registered account's current address, shown fixed.
	Email  string
	Form   accountFormValues
	Errors form.Errors
	// Order is the fields' order on the page, for the banner's links.
	Order []string
	// Action is where the form posts.
	Action string
}

// accountConfirmPage is the 確認画面 of either case.
type accountConfirmPage struct {
	site.Base
	Provisional bool
	Facility    account.Facility
	Pending     pendingAccount
	// Email is the address shown (the new one for the forced edit).
	Email string
	// Action is where 確定 posts; Back is the input page.
	Action, Back string
}

// pendingAccount is what was typed on the input page, held in the session until 確定.
type pendingAccount struct {
	// Owner is whose input this is ("p<id>" provisional, "a<id>" account), so a session
	// that changes hands cannot confirm someone else's input.
	Owner        string
	Name         string
	FounderName  string
	Phone        string
	ContactName  string
	Email        string `json:",omitempty"`
	PasswordHash string `json:",omitempty"`
}

func (p pendingAccount) profile() account.Profile {
	return account.Profile{FacilityName: p.Name, FounderName: p.FounderName, Phone: p.Phone, ContactName: p.ContactName}
}

const sessPendingAccount = "account_pending"

// owner names the principal the pending input belongs to.
func owner(p *site.User) string {
	if p.Account != nil {
		return fmt.Sprintf("a%d", p.Account.ID)
	}
	return fmt.Sprintf("p%d", p.Provisional.ID)
}

func (h *Handler) putPending(r *http.Request, p pendingAccount) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	h.Sessions.Put(r.Context(), sessPendingAccount, string(b))
	return nil
}

// pending returns the principal's pending input, if there is one.
func (h *Handler) pending(r *http.Request, p *site.User) (pendingAccount, bool) {
	raw := h.Sessions.GetString(r.Context(), sessPendingAccount)
	if raw == "" {
		return pendingAccount{}, false
	}
	var pa pendingAccount
	if err := json.Unmarshal([]byte(raw), &pa); err != nil || pa.Owner != owner(p) {
		return pendingAccount{}, false
	}
	return pa, true
}

func (h *Handler) dropPending(r *http.Request) { h.Sessions.Remove(r.Context(), sessPendingAccount) }

// readProfileEdit reads a registered facility's edit with the account form's rules: the
// same as the forced edit's particulars, 担当者名 「支払基金」 refused as well.
func readProfileEdit(values url.Values) (accountform.Details, form.Errors) {
	in := form.NewInput(values)
	d := accountform.Details{
		Name:        in.Text(accountform.FieldName),
		FounderName: in.Text(accountform.FieldFounderName),
		Phone:       in.Phone(accountform.FieldPhone),
		ContactName: in.Text(accountform.FieldContactName),
	}
	errs := in.Errors
	errs.Merge(form.Validate(&d))
	if m := accountform.CheckPhone(d.Phone); m != "" {
		errs.Add(accountform.FieldPhone, m)
	}
	if d.ContactName == accountform.FundContact {
		errs.Add(accountform.FieldContactName, accountform.MsgContactIsFund)
	}
	return d, errs
}

// profileEditOrder is the order of a registered facility's editable fields.
var profileEditOrder = []string{accountform.FieldName, accountform.FieldFounderName, accountform.FieldPhone, accountform.FieldContactName}

// BannerItems are the errors for the banner, in the page's order.
func (p *accountFormPage) BannerItems() []form.Item { return p.Errors.Items(p.Order...) }
