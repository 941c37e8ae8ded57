package web

import (
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/mail"
)

// registerComplete creates the account (上記の内容で確定する) and mails
// 「アカウント登録完了のご案内」 in the same transaction. The link is used in that
// transaction and the unique constraints decide races, so a double click, a resubmitted
// 確認画面 or another person registering the same facility at the same moment makes one
// account; the loser is shown why on the form.
func (s *Server) registerComplete(w http.ResponseWriter, r *http.Request) {
	raw, t, ok := s.registrationLink(w, r)
	if !ok {
		return
	}
	d, ok := s.registrationDraftFor(r, raw)
	if !ok {
		http.Redirect(w, r, "/register/account", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	p := account.Profile{FacilityName: d.Name, FounderName: d.FounderName, Phone: d.Phone, ContactName: d.ContactName}
	var created account.Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		a, err := account.Register(ctx, tx, raw, d.FacilityID, p, d.PasswordHash)
		if err != nil {
			return err
		}
		created = a
		return mail.Enqueue(ctx, tx, a.Email, "account_registered", mail.AccountRegistered{
			FacilityName: a.FacilityName, ContactName: a.ContactName, Email: a.Email, BaseURL: s.cfg.BaseURL})
	})
	if errors.Is(err, account.ErrTokenInvalid) {
		// The other click of a double click won the row lock and made the account; this
		// request's session was loaded before that one saved, so ask the database.
		if a, err := account.ByEmail(ctx, s.db, t.Email); err == nil && a.FacilityID == d.FacilityID {
			s.finishRegistration(r, a.Email)
			http.Redirect(w, r, "/register/done", http.StatusSeeOther)
			return
		}
		s.linkInvalid(w, r, "/register", "仮登録メールを送信し直す")
		return
	}
	if err != nil {
		page := newRegisterFormPage(t.Email, d.registerValues)
		if !registrationRuleError(page, err) {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusConflict, "register_form", page)
		return
	}
	s.finishRegistration(r, created.Email)
	http.Redirect(w, r, "/register/done", http.StatusSeeOther)
}

// finishRegistration forgets the link and the input and remembers the completion.
func (s *Server) finishRegistration(r *http.Request, email string) {
	s.sessions.Remove(r.Context(), sessRegisterDraft)
	s.sessions.Remove(r.Context(), sessRegisterToken)
	s.sessions.Put(r.Context(), sessRegisterDone, email)
}
