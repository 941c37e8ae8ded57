package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/mail"
	"portal/internal/password"
)

const msgCurrentPasswordWrong = "現在のパスワードが正しくありません。大文字・小文字も区別されます。"

// msgPasswordChangeLocked is shown while wrong current passwords have locked the change.
func msgPasswordChangeLocked(until time.Time) string {
	return "現在のパスワードの入力誤りが続いたため、パスワード変更を一時的に停止しています。" +
		until.In(japanTime).Format("15時04分") + "以降にもう一度お試しください。"
}

// passwordChangeSubmit sets a new password for the signed-in account. Every other session
// of the account ends; this one stays signed in on a fresh token. A notice is mailed.
func (s *Server) passwordChangeSubmit(w http.ResponseWriter, r *http.Request) {
	a := currentUser(r).Account
	ctx := r.Context()
	p, errs := accountform.ReadPasswordChange(r.PostForm, a.Email)
	// A stolen session must not be a way to guess the password: wrong current passwords
	// count under the sign-in lock-out policy, on a key of their own.
	throttleKey := fmt.Sprintf("password-change:%d", a.ID)
	until, err := account.ThrottleLockedUntil(ctx, s.db, throttleKey)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case !until.IsZero():
		errs = form.Errors{}
		errs.Add(accountform.FieldCurrentPassword, msgPasswordChangeLocked(until))
	case errs.Has(accountform.FieldCurrentPassword):
	case !a.CheckPassword(p.Current):
		if until, err = account.ThrottleFailure(ctx, s.db, throttleKey); err != nil {
			s.serverError(w, r, err)
			return
		}
		msg := msgCurrentPasswordWrong
		if !until.IsZero() {
			msg = msgPasswordChangeLocked(until)
		}
		errs.Add(accountform.FieldCurrentPassword, msg)
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
	if err := account.ThrottleClear(ctx, s.db, throttleKey); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.keepSession(r, version); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/password/done", http.StatusSeeOther)
}
