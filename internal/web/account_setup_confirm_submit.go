package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/database"
	"portal/internal/mail"
)

const sessSetupDone = "account_setup_done"

// accountSetupConfirmSubmit completes the forced edit in one transaction: the provisional
// credentials are used up, the account is created and 「アカウント登録完了のご案内」 is queued.
// The session then becomes the account's, on a new token. A second submit finds the
// credentials used and creates nothing.
func (s *Server) accountSetupConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	ctx := r.Context()
	pa, ok := s.pending(r, p)
	if !ok {
		http.Redirect(w, r, provisionalEditPath, http.StatusSeeOther)
		return
	}
	var acct account.Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		acct, err = account.CompleteProvisional(ctx, tx, p.Provisional.ID, account.NewAccount{
			FacilityID: p.Facility.ID, Email: pa.Email, PasswordHash: pa.PasswordHash, Profile: pa.profile()})
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, acct.Email, "account_registered", mail.AccountRegistered{
			FacilityName: acct.FacilityName, ContactName: acct.ContactName, Email: acct.Email, BaseURL: s.cfg.BaseURL})
	})
	switch {
	case errors.Is(err, account.ErrEmailTaken):
		// Taken between the input and now: back to the input with the message beside the field.
		page := s.setupPage(p, accountFormValues{Name: pa.Name, FounderName: pa.FounderName, Phone: pa.Phone,
			ContactName: pa.ContactName, Email: pa.Email, EmailConfirm: pa.Email})
		page.Errors.Add(accountform.FieldEmail, msgEmailTaken)
		s.render(w, r, http.StatusUnprocessableEntity, "account_form", page)
		return
	case errors.Is(err, account.ErrNotFound), errors.Is(err, account.ErrFacilityTaken):
		// Used by a concurrent submit, deleted by an operator, or the facility registered
		// anew meanwhile: this sign-in is over.
		s.dropPending(r)
		if err := s.endSession(r); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.sessions.Put(context.WithoutCancel(ctx), "flash", "この仮メールアドレス・仮パスワードは既に使用されたか、削除されています。登録したメールアドレスとパスワードでログインしてください。")
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.dropPending(r)
	if err := s.startSession(r, account.Principal{AccountID: acct.ID, FacilityID: acct.FacilityID, SessionVersion: acct.SessionVersion}); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessSetupDone, true)
	http.Redirect(w, r, provisionalEditPath+"/complete", http.StatusSeeOther)
}
