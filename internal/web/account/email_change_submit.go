package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/ratelimit"
	"portal/internal/web/site"
)

const (
	sessEmailChangeTo = "email_change_to"
	msgEmailTooMany   = "メールアドレス変更の申込が続いたため、受け付けを一時停止しています。しばらく時間をおいてからお試しください。"
)

// emailChangeSubmit mails a confirmation link to the new address; nothing changes until
// it is opened there.
func (h *Handler) emailChangeSubmit(w http.ResponseWriter, r *http.Request) {
	a := site.CurrentUser(r).Account
	v, errs := accountform.ReadEmailChange(r.PostForm, a.Email)
	page := &emailChangePage{Current: a.Email, Email: v.Email, EmailConfirm: v.EmailConfirm, Errors: errs}
	if !errs.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/email_change", page)
		return
	}
	ctx := r.Context()
	err := h.accounts.RequestEmailChange(ctx, *a, v.Email, h.ClientAddr(r))
	switch {
	case errors.Is(err, account.ErrEmailTaken):
		page.Errors.Add(accountform.FieldEmail, msgEmailTaken)
	case errors.Is(err, ratelimit.ErrLimited):
		page.Errors.Add(accountform.FieldEmail, msgEmailTooMany)
	case err != nil:
		h.ServerError(w, r, err)
		return
	}
	if !page.Errors.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/email_change", page)
		return
	}
	h.Sessions.Put(ctx, sessEmailChangeTo, v.Email)
	http.Redirect(w, r, "/account/email/sent", http.StatusSeeOther)
}
