package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/database"
	"portal/internal/mail"
)

const sessResetSentTo = "reset_sent_to"

// passwordForgotSubmit mails a reset link (1 h) when the address is an account's. The
// answer is the same for every well-formed address, known or not.
func (s *Server) passwordForgotSubmit(w http.ResponseWriter, r *http.Request) {
	a, errs := accountform.ReadAddress(r.PostForm)
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "password_forgot", &passwordForgotPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		acct, tok, err := account.RequestPasswordReset(ctx, tx, a.Email)
		if errors.Is(err, account.ErrNotFound) || errors.Is(err, account.ErrTokenInvalid) {
			return nil
		}
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, acct.Email, "password_reset_url", mail.PasswordResetURL{
			FacilityName: acct.FacilityName,
			URL:          s.cfg.BaseURL + "/password/reset/verify?token=" + tok,
			ExpiresAt:    mailTime(time.Now().Add(account.PasswordResetTTL)),
			BaseURL:      s.cfg.BaseURL,
		})
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessResetSentTo, a.Email)
	http.Redirect(w, r, "/password/forgot/sent", http.StatusSeeOther)
}
