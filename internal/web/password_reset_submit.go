package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/database"
	"portal/internal/mail"
	"portal/internal/password"
)

// passwordResetSubmit sets the new password. The account's session version moves on, so
// every session of the account ends, and a notice goes to the address.
func (s *Server) passwordResetSubmit(w http.ResponseWriter, r *http.Request) {
	raw, a, ok := s.resetAccount(w, r)
	if !ok {
		return
	}
	p, errs := accountform.ReadNewPassword(r.PostForm, a.Email)
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "password_reset", &passwordResetPage{Email: a.Email, Errors: errs})
		return
	}
	hash, err := password.Hash(p.Password)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		changed, err := account.ResetPassword(ctx, tx, raw, hash)
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, changed.Email, "password_changed", mail.PasswordChanged{
			FacilityName: changed.FacilityName, ChangedAt: mailTime(time.Now()), BaseURL: s.cfg.BaseURL})
	})
	if errors.Is(err, account.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/password/forgot", "パスワードの再設定をやり直す")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Proving the mailbox lifts a sign-in lock-out on the address (the usual reason to reset).
	if err := account.ThrottleClear(ctx, s.db, strings.ToLower(a.Email)); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(ctx, sessResetToken)
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/password/reset/done", http.StatusSeeOther)
}
