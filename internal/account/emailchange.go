package account

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// RequestEmailChange records a link (24 h) that switches the account's login address to
// newEmail once opened from that mailbox, in the caller's transaction, and ends the
// account's older change links. An address another account uses is ErrEmailTaken. The
// limits are Service.RequestEmailChange's.
func RequestEmailChange(ctx context.Context, tx pgx.Tx, accountID int64, newEmail string) (string, error) {
	other, err := ByEmail(ctx, tx, newEmail)
	switch {
	case err == nil && other.ID != accountID:
		return "", ErrEmailTaken
	case err != nil && !errors.Is(err, ErrNotFound):
		return "", err
	}
	if err := spendTokens(ctx, tx, PurposeEmailChange, accountID); err != nil {
		return "", err
	}
	return issueToken(ctx, tx, PurposeEmailChange, newEmail, accountID, EmailChangeTTL)
}

// EmailChangeTarget returns the live change link raw without using it, for the page that
// asks to confirm the change.
func EmailChangeTarget(ctx context.Context, tx pgx.Tx, raw string) (Token, error) {
	return LookupToken(ctx, tx, PurposeEmailChange, raw)
}

// ConfirmEmailChange uses the link and switches the address in the caller's transaction.
// Every session of the account ends; its pending reset and change links are spent (they
// went to the old address or are superseded). It returns the account as changed and the
// old address, which is to be told.
func ConfirmEmailChange(ctx context.Context, tx pgx.Tx, raw string) (Account, string, error) {
	t, err := useToken(ctx, tx, PurposeEmailChange, raw)
	if err != nil {
		return Account{}, "", err
	}
	a, err := ByID(ctx, tx, t.AccountID)
	if errors.Is(err, ErrNotFound) {
		return Account{}, "", ErrTokenInvalid
	}
	if err != nil {
		return Account{}, "", err
	}
	old := a.Email
	v, err := SetEmail(ctx, tx, a.ID, t.Email)
	if err != nil {
		return Account{}, "", err
	}
	for _, p := range []TokenPurpose{PurposeEmailChange, PurposePasswordReset} {
		if err := spendTokens(ctx, tx, p, a.ID); err != nil {
			return Account{}, "", err
		}
	}
	a.Email, a.SessionVersion = t.Email, v
	return a, old, nil
}
