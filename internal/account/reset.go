package account

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// IssuePasswordResetLink records a password-reset link (1 h) for the account whose address
// is email, in the caller's transaction, and ends the account's older links. It returns the
// account and the token to mail, or ErrNotFound when no account uses the address. It runs
// in the reset mail job, off the request, so the page cannot tell the cases apart by time.
func IssuePasswordResetLink(ctx context.Context, tx pgx.Tx, email string) (Account, string, error) {
	a, err := ByEmail(ctx, tx, email)
	if err != nil {
		return Account{}, "", err
	}
	if err := spendTokens(ctx, tx, PurposePasswordReset, a.ID); err != nil {
		return Account{}, "", err
	}
	tok, err := issueToken(ctx, tx, PurposePasswordReset, a.Email, a.ID, PasswordResetTTL)
	return a, tok, err
}

// PasswordResetAccount returns the account a live reset link is for, so the form can
// apply the password rules (not the address) before the link is used.
func PasswordResetAccount(ctx context.Context, tx pgx.Tx, rawToken string) (Account, error) {
	t, err := LookupToken(ctx, tx, PurposePasswordReset, rawToken)
	if err != nil {
		return Account{}, err
	}
	return tokenAccount(ctx, tx, t)
}

// tokenAccount returns the account of a reset link, which is void once the account's
// address changed since it was mailed.
func tokenAccount(ctx context.Context, tx pgx.Tx, t Token) (Account, error) {
	a, err := ByID(ctx, tx, t.AccountID)
	if errors.Is(err, ErrNotFound) || err == nil && !strings.EqualFold(a.Email, t.Email) {
		return Account{}, ErrTokenInvalid
	}
	return a, err
}

// ResetPassword uses the link and sets the new password in the caller's transaction.
// Every session of the account ends (its session version moves on) and its other reset
// links are spent. The returned account carries the new session version.
func ResetPassword(ctx context.Context, tx pgx.Tx, rawToken, passwordHash string) (Account, error) {
	t, err := useToken(ctx, tx, PurposePasswordReset, rawToken)
	if err != nil {
		return Account{}, err
	}
	a, err := tokenAccount(ctx, tx, t)
	if err != nil {
		return Account{}, err
	}
	v, err := SetPassword(ctx, tx, a.ID, passwordHash)
	if err != nil {
		return Account{}, fmt.Errorf("account: reset password: %w", err)
	}
	if err := spendTokens(ctx, tx, PurposePasswordReset, a.ID); err != nil {
		return Account{}, err
	}
	a.SessionVersion = v
	return a, nil
}

// ChangePassword sets a new password for a signed-in account (the handler checked the
// current one) in the caller's transaction; every session ends and pending reset links are
// spent. It returns the new session version, which the session that made the change keeps.
func ChangePassword(ctx context.Context, tx pgx.Tx, accountID int64, passwordHash string) (int, error) {
	v, err := SetPassword(ctx, tx, accountID, passwordHash)
	if err != nil {
		return 0, err
	}
	return v, spendTokens(ctx, tx, PurposePasswordReset, accountID)
}
