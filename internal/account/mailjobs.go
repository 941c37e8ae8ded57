package account

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"portal/internal/database"
	"portal/internal/jobs"
	"portal/internal/jp"
	"portal/internal/mail"
)

// registrationMail is the job behind 仮登録: look the address up and mail a registration link,
// or a note that the address already has an account. The address is the job's only
// argument; the job runs after the visitor got the page.
type registrationMail struct {
	Email string `json:"email"`
}

// Kind names the job in river_job; never rename a kind that may be queued.
func (registrationMail) Kind() string { return "account.registration_mail" }

type registrationMailWorker struct {
	river.WorkerDefaults[registrationMail]
	s *Service
}

// Work issues the link and writes the mail in one transaction, which also completes the job:
// a retried job never mails twice.
func (w *registrationMailWorker) Work(ctx context.Context, job *river.Job[registrationMail]) error {
	email := job.Args.Email
	return database.WithTx(ctx, w.s.db, func(tx pgx.Tx) error {
		req, err := IssueRegistrationLink(ctx, tx, email)
		switch {
		case err != nil:
			return err
		case req.Registered:
			err = mail.Enqueue(ctx, tx, email, "register_existing", mail.RegistrationExisting{Email: email, BaseURL: w.s.baseURL})
		default:
			err = mail.Enqueue(ctx, tx, email, "register_url", mail.RegistrationURL{
				URL:       w.s.baseURL + "/register/verify?token=" + req.Token,
				ExpiresAt: jp.DateTime(time.Now().Add(RegisterTTL)),
				BaseURL:   w.s.baseURL,
			})
		}
		if err != nil {
			return err
		}
		return jobs.CompleteTx(ctx, tx, job)
	})
}

// passwordResetMail is the job behind パスワード再設定: mail a reset link when the address is
// an account's, nothing otherwise.
type passwordResetMail struct {
	Email string `json:"email"`
}

// Kind names the job in river_job; never rename a kind that may be queued.
func (passwordResetMail) Kind() string { return "account.password_reset_mail" }

type passwordResetMailWorker struct {
	river.WorkerDefaults[passwordResetMail]
	s *Service
}

// Work issues the link and writes the mail in one transaction that also completes the job.
func (w *passwordResetMailWorker) Work(ctx context.Context, job *river.Job[passwordResetMail]) error {
	return database.WithTx(ctx, w.s.db, func(tx pgx.Tx) error {
		a, tok, err := IssuePasswordResetLink(ctx, tx, job.Args.Email)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return err
		default:
			err = mail.Enqueue(ctx, tx, a.Email, "password_reset_url", mail.PasswordResetURL{
				FacilityName: a.FacilityName,
				URL:          w.s.baseURL + "/password/reset/verify?token=" + tok,
				ExpiresAt:    jp.DateTime(time.Now().Add(PasswordResetTTL)),
				BaseURL:      w.s.baseURL,
			})
			if err != nil {
				return err
			}
		}
		return jobs.CompleteTx(ctx, tx, job)
	})
}
