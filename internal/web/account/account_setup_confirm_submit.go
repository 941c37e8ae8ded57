package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/web/site"
)

const sessSetupDone = "account_setup_done"

// accountSetupConfirmSubmit completes the forced edit in one transaction: the provisional
// credentials are used up, the account is created and 「アカウント登録完了のご案内」 is queued.
// The session then becomes the account's, on a new token. A second submit finds the
// credentials used and creates nothing.
func (h *Handler) accountSetupConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	ctx := r.Context()
	pa, ok := h.pending(r, p)
	if !ok {
		http.Redirect(w, r, site.ProvisionalEditPath, http.StatusSeeOther)
		return
	}
	acct, err := h.accounts.CompleteProvisional(ctx, p.Provisional.ID, account.NewAccount{
		FacilityID: p.Facility.ID, Email: pa.Email, PasswordHash: pa.PasswordHash, Profile: pa.profile()})
	switch {
	case errors.Is(err, account.ErrEmailTaken):
		// Taken between the input and now: back to the input with the message beside the field.
		page := h.setupPage(p, accountFormValues{Name: pa.Name, FounderName: pa.FounderName, Phone: pa.Phone,
			ContactName: pa.ContactName, Email: pa.Email, EmailConfirm: pa.Email})
		page.Errors.Add(accountform.FieldEmail, msgEmailTaken)
		h.Render(w, r, http.StatusUnprocessableEntity, "account/form", page)
		return
	case errors.Is(err, account.ErrNotFound), errors.Is(err, account.ErrFacilityTaken):
		// Used by a concurrent submit, deleted by an operator, or the facility registered
		// anew meanwhile: this sign-in is over.
		h.dropPending(r)
		if err := h.EndSession(r); err != nil {
			h.ServerError(w, r, err)
			return
		}
		h.Flash(r, "この仮メールアドレス・仮パスワードは既に使用されたか、削除されています。登録したメールアドレスとパスワードでログインしてください。")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	h.dropPending(r)
	if err := h.StartSession(r, account.Principal{AccountID: acct.ID, FacilityID: acct.FacilityID, SessionVersion: acct.SessionVersion}); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Sessions.Put(ctx, sessSetupDone, true)
	http.Redirect(w, r, site.ProvisionalEditPath+"/complete", http.StatusSeeOther)
}
