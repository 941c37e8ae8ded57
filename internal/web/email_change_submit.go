package web

import (
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/ratelimit"
)

const (
	sessEmailChangeTo = "email_change_to"
	msgEmailTooMany   = "メールアドレス変更の申込が続いたため、受け付けを一時停止しています。しばらく時間をおいてからお試しください。"
)

// emailChangeSubmit mails a confirmation link to the new address; nothing changes until
// it is opened there.
func (s *Server) emailChangeSubmit(w http.ResponseWriter, r *http.Request) {
	a := currentUser(r).Account
	v, errs := accountform.ReadEmailChange(r.PostForm, a.Email)
	page := &emailChangePage{Current: a.Email, Email: v.Email, EmailConfirm: v.EmailConfirm, Errors: errs}
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "email_change", page)
		return
	}
	ctx := r.Context()
	err := s.accounts.RequestEmailChange(ctx, *a, v.Email, s.clientAddr(r))
	switch {
	case errors.Is(err, account.ErrEmailTaken):
		page.Errors.Add(accountform.FieldEmail, msgEmailTaken)
	case errors.Is(err, ratelimit.ErrLimited):
		page.Errors.Add(accountform.FieldEmail, msgEmailTooMany)
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if !page.Errors.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "email_change", page)
		return
	}
	s.sessions.Put(ctx, sessEmailChangeTo, v.Email)
	http.Redirect(w, r, "/account/email/sent", http.StatusSeeOther)
}
