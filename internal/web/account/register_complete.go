package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
)

// registerComplete creates the account (上記の内容で確定する) and mails
// 「アカウント登録完了のご案内」 in the same transaction. The link is used in that
// transaction and the unique constraints decide races, so a double click, a resubmitted
// 確認画面 or another person registering the same facility at the same moment makes one
// account; the loser is shown why on the form.
func (h *Handler) registerComplete(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := h.registrationLink(w, r)
	if !ok {
		return
	}
	d, ok := h.registrationDraftFor(r, raw)
	if !ok {
		http.Redirect(w, r, "/register/account", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	p := account.Profile{FacilityName: d.Name, FounderName: d.FounderName, Phone: d.Phone, ContactName: d.ContactName}
	created, err := h.accounts.Register(ctx, raw, d.FacilityID, p, d.PasswordHash)
	if errors.Is(err, account.ErrTokenInvalid) {
		// The other click of a double click won the row lock and made the account; this
		// request's session was loaded before that one saved, so ask the database.
		if a, err := h.accounts.ByEmail(ctx, t.Email); err == nil && a.FacilityID == d.FacilityID {
			h.finishRegistration(r, a.Email)
			http.Redirect(w, r, "/register/done", http.StatusSeeOther)
			return
		}
		h.LinkInvalid(w, r, "/register", "仮登録メールを送信し直す")
		return
	}
	if err != nil {
		page := newRegisterFormPage(t.Email, d.registerValues)
		if !registrationRuleError(page, err) {
			h.ServerError(w, r, err)
			return
		}
		h.Render(w, r, http.StatusConflict, "account/register_form", page)
		return
	}
	h.finishRegistration(r, created.Email)
	http.Redirect(w, r, "/register/done", http.StatusSeeOther)
}

// finishRegistration forgets the link and the input and remembers the completion.
func (h *Handler) finishRegistration(r *http.Request, email string) {
	h.Sessions.Remove(r.Context(), sessRegisterDraft)
	h.Sessions.Remove(r.Context(), sessRegisterToken)
	h.Sessions.Put(r.Context(), sessRegisterDone, email)
}
