package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// Answers of the registration rules that need the database (SPEC §3.2); each has its own
// message on the form.
var (
	// ErrFacilityUnknown means the (都道府県, 点数表, 医療機関等コード) is not in the master.
	ErrFacilityUnknown = errors.New("account: facility not in the master")
	// ErrProvisionalPending means the facility has unused provisional credentials: it is
	// to use its letter, or ask the call center to delete them.
	ErrProvisionalPending = errors.New("account: facility has unused provisional credentials")
)

// RegistrationRequest is what a request for a registration link produced.
type RegistrationRequest struct {
	// Token is the link's token; empty when the address already has an account.
	Token string
	// Registered is true when the address already belongs to an account: the mail then
	// says so and points to login and password reset instead of carrying a link that
	// could only fail.
	Registered bool
}

// IssueRegistrationLink records a registration link (24 h) for email in the caller's
// transaction, unless the address already belongs to an account (Registered). It runs in
// the registration mail job, off the request, so the page cannot tell the cases apart by
// time; the limits were checked by Service.RequestRegistration.
func IssueRegistrationLink(ctx context.Context, tx pgx.Tx, email string) (RegistrationRequest, error) {
	var req RegistrationRequest
	_, err := ByEmail(ctx, tx, email)
	switch {
	case err == nil:
		req.Registered = true
		return req, nil
	case !errors.Is(err, ErrNotFound):
		return req, err
	}
	req.Token, err = issueToken(ctx, tx, PurposeRegister, email, 0, RegisterTTL)
	return req, err
}

// CheckRegistration applies the rules of SPEC §3.2 that need the database, in the order a
// caller can act on them: the facility is in the master (ErrFacilityUnknown), has no
// account yet (ErrFacilityTaken), has no unused provisional credentials
// (ErrProvisionalPending), and email is not another account's (ErrEmailTaken).
func CheckRegistration(ctx context.Context, db database.DB, prefecture, scoreTable int, code, email string) (Facility, error) {
	f, err := FacilityByIdentity(ctx, db, prefecture, scoreTable, code)
	if errors.Is(err, ErrNotFound) {
		return Facility{}, ErrFacilityUnknown
	}
	if err != nil {
		return Facility{}, err
	}
	var hasAccount, hasProvisional, emailTaken bool
	err = db.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM accounts WHERE facility_id = $1),
			EXISTS (SELECT 1 FROM provisional_credentials WHERE facility_id = $1 AND used_at IS NULL AND deleted_at IS NULL),
			EXISTS (SELECT 1 FROM accounts WHERE lower(email) = lower($2))`, f.ID, email).
		Scan(&hasAccount, &hasProvisional, &emailTaken)
	if err != nil {
		return Facility{}, fmt.Errorf("account: registration rules: %w", err)
	}
	switch {
	case hasAccount:
		return f, ErrFacilityTaken
	case hasProvisional:
		return f, ErrProvisionalPending
	case emailTaken:
		return f, ErrEmailTaken
	}
	return f, nil
}

// Register creates the account of a new registration in the caller's transaction: the
// link is used (ErrTokenInvalid when it is unknown, used or expired), the rules are checked
// again and the account is inserted with the link's verified address. The unique
// constraints decide between concurrent attempts, so any number of them on one facility
// end in one account (the others get ErrFacilityTaken and roll back, their links unused).
func Register(ctx context.Context, tx pgx.Tx, rawToken string, facilityID int64, p Profile, passwordHash string) (Account, error) {
	t, err := useToken(ctx, tx, PurposeRegister, rawToken)
	if err != nil {
		return Account{}, err
	}
	var hasProvisional bool
	err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM provisional_credentials
		WHERE facility_id = $1 AND used_at IS NULL AND deleted_at IS NULL)`, facilityID).Scan(&hasProvisional)
	if err != nil {
		return Account{}, fmt.Errorf("account: register: %w", err)
	}
	if hasProvisional {
		return Account{}, ErrProvisionalPending
	}
	return Create(ctx, tx, NewAccount{FacilityID: facilityID, Email: t.Email, PasswordHash: passwordHash, Profile: p})
}
