package web

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/password"
)

const msgCurrentPasswordWrong = "現在のパスワードが正しくありません。大文字・小文字も区別されます。"

// passwordChangeSubmit sets a new password for the signed-in account. Every other session
// of the account ends; this one stays signed in on a fresh token. A notice is mailed.
func (s *Server) passwordChangeSubmit(w http.ResponseWriter, r *http.Request) {
	a := currentUser(r).Account
	p, errs := accountform.ReadPasswordChange(r.PostForm, a.Email)
	if !errs.Has(accountform.FieldCurrentPassword) && !a.CheckPassword(p.Current) {
		errs.Add(accountform.FieldCurrentPassword, msgCurrentPasswordWrong)
	}
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "password_change", &passwordChangePage{Errors: errs})
		return
	}
	hash, err := password.Hash(p.Password)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	var version int
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) (err error) {
		if version, err = account.ChangePassword(ctx, tx, a.ID, hash); err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, a.Email, "password_changed", mail.PasswordChanged{
			FacilityName: a.FacilityName, ChangedAt: mailTime(time.Now()), BaseURL: s.cfg.BaseURL})
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.keepSession(r, version); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/password/done", http.StatusSeeOther)
}
