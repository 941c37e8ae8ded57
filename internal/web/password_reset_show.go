package web

import (
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/form"
)

// passwordResetPage is the new-password form of the reset.
type passwordResetPage struct {
	Base
	Email  string
	Errors form.Errors
}

// resetAccount returns the session's reset link and its account, or answers the request
// with the invalid-link page and false.
func (s *Server) resetAccount(w http.ResponseWriter, r *http.Request) (string, account.Account, bool) {
	raw := s.sessions.GetString(r.Context(), sessResetToken)
	var a account.Account
	err := database.WithTx(r.Context(), s.db, func(tx pgx.Tx) (err error) {
		a, err = account.PasswordResetAccount(r.Context(), tx, raw)
		return err
	})
	if errors.Is(err, account.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/password/forgot", "パスワードの再設定をやり直す")
		return "", a, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return "", a, false
	}
	return raw, a, true
}

// passwordResetShow asks for the new password.
func (s *Server) passwordResetShow(w http.ResponseWriter, r *http.Request) {
	_, a, ok := s.resetAccount(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "password_reset", &passwordResetPage{Email: a.Email})
}
