// Package facility is the call center's view of one facility (施設): the search that finds
// it from whatever the caller says (医療機関等コード, name, phone, e-mail address, 申込番号),
// the facility page with everything the portal holds about it (master data, account state,
// provisional credentials, applications, mails, documents, audit trail), and the steps an
// operator takes from that page (delete provisional credentials, reissue the
// アカウント登録案内文書, issue a パスワード等通知書, unlock a sign-in, mail a new reset or
// registration link). Each step is one call: the transaction, an optimistic check against
// what the operator saw, the change, the mail in the outbox and the audit entry. It knows
// nothing of HTTP.
package facility

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/application"
)

// Errors of the steps.
var (
	// ErrNotFound means no such facility.
	ErrNotFound = errors.New("facility: not found")
	// ErrNoCredential means the facility has no live provisional credentials to delete.
	ErrNoCredential = errors.New("facility: no live provisional credentials")
	// ErrLiveCredential means live provisional credentials must be deleted first.
	ErrLiveCredential = errors.New("facility: live provisional credentials exist")
	// ErrNoAccount means the step needs a registered account and the facility has none.
	ErrNoAccount = errors.New("facility: no account")
	// ErrHasAccount means the step is for a facility without an account.
	ErrHasAccount = errors.New("facility: facility has an account")
	// ErrNotLocked means the sign-in is not locked.
	ErrNotLocked = errors.New("facility: sign-in not locked")
)

// ReasonError is a reason the step cannot take; Message says why, in Japanese.
type ReasonError struct{ Message string }

func (e *ReasonError) Error() string { return "facility: reason: " + e.Message }

// Kind is one application kind as the facility page shows it: its title and its place in
// the facility's affairs (the kind's service Overview, as マイページ shows it).
type Kind struct {
	Title    string
	Overview func(ctx context.Context, f account.Facility) (application.Overview, error)
}

// Service serves the call center's facility search, facility page and steps.
type Service struct {
	db      *pgxpool.Pool
	key     []byte // SESSION_SECRET: keys provisional secrets and mailed tokens
	baseURL string
	kinds   []Kind
}

// NewService returns the service on db; kinds are the application kinds the facility page
// lists, in order.
func NewService(db *pgxpool.Pool, key []byte, baseURL string, kinds ...Kind) *Service {
	return &Service{db: db, key: key, baseURL: baseURL, kinds: kinds}
}

// Account states as the search and the facility page name them.
const (
	StateNone       = "未登録"
	StateLetter     = "仮ID発行済（未登録）"
	StateRegistered = "登録済"
	StateLocked     = "ログイン停止中"
)

func accountState(hasAccount, liveLetter bool) string {
	switch {
	case hasAccount:
		return StateRegistered
	case liveLetter:
		return StateLetter
	}
	return StateNone
}
