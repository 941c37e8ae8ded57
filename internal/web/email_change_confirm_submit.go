package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/mail"
)

const msgEmailChangeTaken = "このメールアドレスは、申込の後に別のアカウントで登録されたため、変更できませんでした。別のメールアドレスで変更をやり直してください。"

// emailChangeConfirmSubmit switches the address and tells the old one. Every session of
// the account ends; the one confirming stays signed in when it is the account's own.
func (s *Server) emailChangeConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	raw := r.PostForm.Get("token")
	ctx := r.Context()
	var changed account.Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		a, old, err := account.ConfirmEmailChange(ctx, tx, raw)
		if err != nil {
			return err
		}
		changed = a
		return mail.Enqueue(ctx, tx, old, "email_changed", mail.EmailChanged{
			FacilityName: a.FacilityName, NewEmail: maskEmail(a.Email), ChangedAt: mailTime(time.Now())})
	})
	switch {
	case errors.Is(err, account.ErrTokenInvalid):
		s.linkInvalid(w, r, "/account/email", "メールアドレスの変更をやり直す")
		return
	case errors.Is(err, account.ErrEmailTaken):
		s.render(w, r, http.StatusConflict, "account_notice", &noticePage{Title: "メールアドレスを変更できませんでした",
			Lines: []string{msgEmailChangeTaken}, Links: []noticeLink{{Href: "/account/email", Label: "メールアドレスの変更をやり直す", Primary: true}}})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if p := currentUser(r); p != nil && p.Account != nil && p.Account.ID == changed.ID {
		if err := s.keepSession(r, changed.SessionVersion); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/account/email/done", http.StatusSeeOther)
}

// maskEmail hides all but the first character of the local part, so the notice to the old
// address (perhaps no longer the facility's) does not hand out the new one.
func maskEmail(email string) string {
	at := len(email)
	for i := len(email) - 1; i >= 0; i-- {
		if email[i] == '@' {
			at = i
			break
		}
	}
	if at == 0 || at == len(email) {
		return "***"
	}
	return email[:1] + "***" + email[at:]
}
