package web

import (
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/accountform"
	"portal/internal/database"
	"portal/internal/mail"
)

const sessRegisterSentTo = "register_sent_to"

// registerSubmit sends the registration link (仮登録メールを送信する). Every well-formed
// address gets the same answer: a link if it is new, a note that it is registered if it is
// not, nothing beyond the hourly limit — the page cannot tell them apart.
func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) {
	a, errs := accountform.ReadAddress(r.PostForm)
	if !errs.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "register", &registerStartPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		req, err := account.RequestRegistration(ctx, tx, a.Email)
		switch {
		case err != nil || req.Token == "":
			return err
		case req.Registered:
			return mail.Enqueue(ctx, tx, a.Email, "register_existing", mail.RegistrationExisting{Email: a.Email, BaseURL: s.cfg.BaseURL})
		}
		return mail.Enqueue(ctx, tx, a.Email, "register_url", mail.RegistrationURL{
			URL:       s.cfg.BaseURL + "/register/verify?token=" + req.Token,
			ExpiresAt: mailTime(time.Now().Add(account.RegisterTTL)),
			BaseURL:   s.cfg.BaseURL,
		})
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessRegisterSentTo, a.Email)
	http.Redirect(w, r, "/register/sent", http.StatusSeeOther)
}
