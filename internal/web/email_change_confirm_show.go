package web

import (
	"errors"
	"net/http"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
)

// emailChangeConfirmPage asks to confirm the change opened from the mailed link.
type emailChangeConfirmPage struct {
	Base
	NewEmail string
	// Token is the link's token, posted back in the form body (never logged).
	Token string
}

// emailChangeConfirmShow shows the address the link switches to and a button: opening the
// link changes nothing by itself, so mail scanners that fetch links cannot confirm it.
// Signing in is not needed: the link proves the new mailbox, the request was made signed in.
func (s *Server) emailChangeConfirmShow(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("token")
	var t account.Token
	err := database.WithTx(r.Context(), s.db, func(tx pgx.Tx) (err error) {
		t, err = account.EmailChangeTarget(r.Context(), tx, raw)
		return err
	})
	if errors.Is(err, account.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/account/email", "メールアドレスの変更をやり直す")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "email_change_confirm", &emailChangeConfirmPage{NewEmail: t.Email, Token: raw})
}
