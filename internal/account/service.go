package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/jobs"
	"portal/internal/jp"
	"portal/internal/mail"
	"portal/internal/password"
	"portal/internal/ratelimit"
)

// Service runs the account steps of the portal, each as one call: the transaction, the
// rules, the store and the mail in the outbox happen inside, so a handler only parses,
// calls and renders.
type Service struct {
	db      *pgxpool.Pool
	jobs    *jobs.Client
	limits  *ratelimit.Limiter
	key     []byte // SESSION_SECRET: keys provisional secrets and mailed tokens
	baseURL string // absolute URL of the portal, for mailed links
}

// NewService returns the account service on db and registers its background jobs on q.
func NewService(db *pgxpool.Pool, q *jobs.Client, limits *ratelimit.Limiter, key []byte, baseURL string) *Service {
	s := &Service{db: db, jobs: q, limits: limits, key: key, baseURL: baseURL}
	jobs.Register(q, &registrationMailWorker{s: s})
	jobs.Register(q, &passwordResetMailWorker{s: s})
	return s
}

// addressKey is how an address is counted by the per-address limits: case folded, as the
// portal compares addresses.
func addressKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// SignIn checks a login and password under the lock-out policy (see SignIn), behind the
// sign-in limits of client (the client's address) and of the whole portal, checked before
// the password hash is spent. Over a limit the error is a *ratelimit.Exceeded.
func (s *Service) SignIn(ctx context.Context, login, plain, client string) (Principal, error) {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.SignInPerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.SignInOverall})
	if err != nil {
		return Principal{}, err
	}
	return SignIn(ctx, s.db, s.key, login, plain)
}

// Facility returns a facility of the master.
func (s *Service) Facility(ctx context.Context, id int64) (Facility, error) {
	return FacilityByID(ctx, s.db, id)
}

// ByID returns an account.
func (s *Service) ByID(ctx context.Context, id int64) (Account, error) { return ByID(ctx, s.db, id) }

// ByEmail returns the account using an address.
func (s *Service) ByEmail(ctx context.Context, email string) (Account, error) {
	return ByEmail(ctx, s.db, email)
}

// ByFacility returns the facility's account.
func (s *Service) ByFacility(ctx context.Context, facilityID int64) (Account, error) {
	return ByFacility(ctx, s.db, facilityID)
}

// Provisional returns a provisional credential.
func (s *Service) Provisional(ctx context.Context, id int64) (ProvisionalCredential, error) {
	return ProvisionalByID(ctx, s.db, id)
}

// ProvisionalSecretMatches reports whether plain is the provisional credential's password
// (the forced edit refuses it as the new one).
func (s *Service) ProvisionalSecretMatches(ctx context.Context, id int64, plain string) (bool, error) {
	return ProvisionalSecretMatches(ctx, s.db, s.key, id, plain)
}

// Messages returns the newest documents addressed to the facility.
func (s *Service) Messages(ctx context.Context, facilityID int64, limit int) ([]Message, error) {
	return MessagesFor(ctx, s.db, facilityID, limit)
}

// OpenMessage returns one of the facility's documents and marks it read.
func (s *Service) OpenMessage(ctx context.Context, facilityID, id int64) (Message, error) {
	return OpenMessage(ctx, s.db, facilityID, id)
}

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

// RegistrationLink returns the live registration link raw.
func (s *Service) RegistrationLink(ctx context.Context, raw string) (Token, error) {
	return LookupToken(ctx, s.db, PurposeRegister, raw)
}

// CheckRegistration applies the registration rules that need the master (see
// CheckRegistration).
func (s *Service) CheckRegistration(ctx context.Context, prefecture, scoreTable int, code, email string) (Facility, error) {
	return CheckRegistration(ctx, s.db, prefecture, scoreTable, code, email)
}

// Register creates the account under the registration link raw and mails
// 「アカウント登録完了のご案内」, in one transaction.
func (s *Service) Register(ctx context.Context, raw string, facilityID int64, p Profile, passwordHash string) (Account, error) {
	var created Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		a, err := Register(ctx, tx, raw, facilityID, p, passwordHash)
		if err != nil {
			return err
		}
		created = a
		return s.mailRegistered(ctx, tx, a)
	})
	return created, err
}

func (s *Service) mailRegistered(ctx context.Context, tx pgx.Tx, a Account) error {
	return mail.Enqueue(ctx, tx, a.Email, "account_registered", mail.AccountRegistered{
		FacilityName: a.FacilityName, ContactName: a.ContactName, Email: a.Email, BaseURL: s.baseURL})
}

// CompleteProvisional ends the forced account edit: the provisional credentials are used
// up, the account is created (or updated, for a パスワード等通知書) and
// 「アカウント登録完了のご案内」 is mailed, in one transaction.
func (s *Service) CompleteProvisional(ctx context.Context, provisionalID int64, n NewAccount) (Account, error) {
	var acct Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if acct, err = CompleteProvisional(ctx, tx, provisionalID, n); err != nil {
			return err
		}
		return s.mailRegistered(ctx, tx, acct)
	})
	return acct, err
}

// UpdateProfile saves the editable particulars of an account.
func (s *Service) UpdateProfile(ctx context.Context, accountID int64, p Profile) error {
	return UpdateProfile(ctx, s.db, accountID, p)
}

// ErrCurrentPasswordWrong means the current password given for a change is wrong;
// *LockedError means too many were wrong.
var ErrCurrentPasswordWrong = errors.New("account: current password wrong")

// VerifyCurrentPassword checks the current password a signed-in account gives to change
// it. Wrong ones count under the sign-in lock-out policy on a key of their own, so a stolen
// session is no way to guess the password: it returns *LockedError while locked (even for
// the right password), ErrCurrentPasswordWrong for a wrong one. An empty current only
// checks the lock.
func (s *Service) VerifyCurrentPassword(ctx context.Context, a Account, current string) error {
	key := passwordChangeKey(a.ID)
	until, err := lockedUntil(ctx, s.db, key)
	switch {
	case err != nil:
		return err
	case !until.IsZero():
		return &LockedError{Until: until}
	case current == "" || a.CheckPassword(current):
		return nil
	}
	if until, err = recordFailure(ctx, s.db, key); err != nil {
		return err
	}
	if !until.IsZero() {
		return &LockedError{Until: until}
	}
	return ErrCurrentPasswordWrong
}

func passwordChangeKey(accountID int64) string { return fmt.Sprintf("password-change:%d", accountID) }

// ChangePassword sets a new password for a signed-in account whose current password was
// verified. Every other session ends; the new session version is returned so the caller's
// session stays signed in. A notice is mailed.
func (s *Service) ChangePassword(ctx context.Context, a Account, newPassword string) (int, error) {
	hash, err := password.Hash(newPassword)
	if err != nil {
		return 0, err
	}
	var version int
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) (err error) {
		if version, err = ChangePassword(ctx, tx, a.ID, hash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE login = $1`, passwordChangeKey(a.ID)); err != nil {
			return fmt.Errorf("account: clear throttle: %w", err)
		}
		return mail.Enqueue(ctx, tx, a.Email, "password_changed", mail.PasswordChanged{
			FacilityName: a.FacilityName, ChangedAt: jp.DateTime(time.Now()), BaseURL: s.baseURL})
	})
	return version, err
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

// PasswordResetAccount returns the account of the live reset link raw.
func (s *Service) PasswordResetAccount(ctx context.Context, raw string) (Account, error) {
	var a Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) (err error) {
		a, err = PasswordResetAccount(ctx, tx, raw)
		return err
	})
	return a, err
}

// ResetPassword sets the new password under the reset link raw: every session of the
// account ends, a notice is mailed, and a sign-in lock-out on the address is lifted
// (proving the mailbox is the usual reason to reset).
func (s *Service) ResetPassword(ctx context.Context, raw, newPassword string) (Account, error) {
	hash, err := password.Hash(newPassword)
	if err != nil {
		return Account{}, err
	}
	var changed Account
	err = database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if changed, err = ResetPassword(ctx, tx, raw, hash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE login = $1`, strings.ToLower(changed.Email)); err != nil {
			return fmt.Errorf("account: clear throttle: %w", err)
		}
		return mail.Enqueue(ctx, tx, changed.Email, "password_changed", mail.PasswordChanged{
			FacilityName: changed.FacilityName, ChangedAt: jp.DateTime(time.Now()), BaseURL: s.baseURL})
	})
	return changed, err
}

// RequestEmailChange mails a link to newEmail that switches the signed-in account a to it
// once opened there; nothing changes until then. ErrEmailTaken when another account uses
// the address (the signed-in facility is told, as the form must say why);
// *ratelimit.Exceeded over a limit.
func (s *Service) RequestEmailChange(ctx context.Context, a Account, newEmail, client string) error {
	err := s.limits.Allow(ctx,
		ratelimit.Check{Limit: ratelimit.EmailChangePerClient, Subject: client},
		ratelimit.Check{Limit: ratelimit.EmailChangePerAddress, Subject: addressKey(newEmail)},
		ratelimit.Check{Limit: ratelimit.MailOverall})
	if err != nil {
		return err
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		tok, err := RequestEmailChange(ctx, tx, a.ID, newEmail)
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, newEmail, "email_change_url", mail.EmailChangeURL{
			FacilityName: a.FacilityName, NewEmail: newEmail,
			URL:       s.baseURL + "/account/email/confirm?token=" + tok,
			ExpiresAt: jp.DateTime(time.Now().Add(EmailChangeTTL)),
		})
	})
}

// EmailChangeTarget returns the change the live link raw asks for.
func (s *Service) EmailChangeTarget(ctx context.Context, raw string) (Token, error) {
	var t Token
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) (err error) {
		t, err = EmailChangeTarget(ctx, tx, raw)
		return err
	})
	return t, err
}

// ConfirmEmailChange switches the address under the link raw and tells the old one (with
// the new address masked). Every session of the account ends.
func (s *Service) ConfirmEmailChange(ctx context.Context, raw string) (Account, error) {
	var changed Account
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		a, old, err := ConfirmEmailChange(ctx, tx, raw)
		if err != nil {
			return err
		}
		changed = a
		return mail.Enqueue(ctx, tx, old, "email_changed", mail.EmailChanged{
			FacilityName: a.FacilityName, NewEmail: MaskEmail(a.Email), ChangedAt: jp.DateTime(time.Now())})
	})
	return changed, err
}

// MaskEmail hides all but the first character of the local part, so a notice to an old
// address (perhaps no longer the facility's) does not hand out the new one.
func MaskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 {
		return "***"
	}
	return email[:1] + "***" + email[at:]
}

// PasswordResetLink returns the live reset link raw.
func (s *Service) PasswordResetLink(ctx context.Context, raw string) (Token, error) {
	return LookupToken(ctx, s.db, PurposePasswordReset, raw)
}
