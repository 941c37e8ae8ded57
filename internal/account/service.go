package account

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/jobs"
	"portal/internal/mail"
	"portal/internal/ratelimit"
)

// Service runs the account steps that send mail or cost a password hash, each as one call:
// the rate limits, the transaction, the job or the mail. Handlers parse, call one method
// and render.
type Service struct {
	db      *pgxpool.Pool
	jobs    *jobs.Client
	limits  *ratelimit.Limiter
	baseURL string
	secret  []byte
}

// NewService returns the account service and registers its background jobs on q. baseURL
// (config.BaseURL) starts the links in mails; secret (SESSION_SECRET) keys provisional
// credentials.
func NewService(db *pgxpool.Pool, q *jobs.Client, limits *ratelimit.Limiter, baseURL string, secret []byte) *Service {
	s := &Service{db: db, jobs: q, limits: limits, baseURL: baseURL, secret: secret}
	jobs.Register(q, &registrationMailWorker{s: s})
	jobs.Register(q, &passwordResetMailWorker{s: s})
	return s
}

// addressKey is how an address is counted by the per-address limits: case folded, as the
// portal compares addresses.
func addressKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// RequestRegistration is 仮登録メールを送信する for email, asked from client (the client's
// address, for the per-client limit). It checks the limits and queues the registration mail
// job, which looks the address up and mails a link or a note that it is registered. The
// work here is the same for every address, so neither the answer nor its time tells whether
// the address has an account. Over a limit the error is a *ratelimit.Exceeded.
func (s *Service) RequestRegistration(ctx context.Context, email, client string) error {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.RegisterPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.RegisterPerAddress, Subject: addressKey(email)},
		ratelimit.Check{Limit: ratelimit.MailOverall})
	if err != nil {
		return err
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		return s.jobs.InsertTx(ctx, tx, registrationMail{Email: email})
	})
}

// RequestPasswordReset is パスワード再設定 for email, asked from client: the limits, then the
// reset mail job, which mails a link if the address is an account's and nothing otherwise.
// Like RequestRegistration it does the same work for every address.
func (s *Service) RequestPasswordReset(ctx context.Context, email, client string) error {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.PasswordResetPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.PasswordResetPerAddress, Subject: addressKey(email)},
		ratelimit.Check{Limit: ratelimit.MailOverall})
	if err != nil {
		return err
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		return s.jobs.InsertTx(ctx, tx, passwordResetMail{Email: email})
	})
}

// RequestEmailChange mails a link to newEmail that switches the signed-in account a to it
// once opened there. ErrEmailTaken when another account uses the address (the signed-in
// facility is told, as the form must say why); *ratelimit.Exceeded over a limit.
func (s *Service) RequestEmailChange(ctx context.Context, a Account, newEmail, client string) error {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.EmailChangePerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.EmailChangePerAddress, Subject: addressKey(newEmail)},
		ratelimit.Check{Limit: ratelimit.MailOverall})
	if err != nil {
		return err
	}
	expires := mail.LinkTime(time.Now().Add(EmailChangeTTL))
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		tok, err := RequestEmailChange(ctx, tx, a.ID, newEmail)
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, newEmail, "email_change_url", mail.EmailChangeURL{
			FacilityName: a.FacilityName, NewEmail: newEmail,
			URL:       s.baseURL + "/account/email/confirm?token=" + tok,
			ExpiresAt: expires,
		})
	})
}

// SignIn is SignIn behind the sign-in limits of client and of the whole portal, checked
// before the password hash is spent. Over a limit the error is a *ratelimit.Exceeded.
func (s *Service) SignIn(ctx context.Context, login, plain, client string) (Principal, error) {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.SignInPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.SignInOverall})
	if err != nil {
		return Principal{}, err
	}
	return SignIn(ctx, s.db, s.secret, login, plain)
}
