package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// TokenPurpose says what a mailed single-use link is for.
type TokenPurpose string

// The purposes of mailed links and how long each stays valid.
const (
	PurposeRegister      TokenPurpose = "register"       // アカウント登録用URL
	PurposePasswordReset TokenPurpose = "password_reset" // パスワード再設定用URL
	PurposeEmailChange   TokenPurpose = "email_change"   // メールアドレス変更確認用URL

	RegisterTTL      = 24 * time.Hour
	PasswordResetTTL = time.Hour
	EmailChangeTTL   = 24 * time.Hour
)

// ErrTokenInvalid is the one answer for a link that is unknown, used or expired.
var ErrTokenInvalid = errors.New("account: link unknown, used or expired")

// Token is a live mailed link.
type Token struct {
	ID        int64
	Purpose   TokenPurpose
	Email     string
	AccountID int64 // 0 for registration
	ExpiresAt time.Time
}

// newToken returns a random URL-safe token (256 bits) and the hash that is stored.
func newToken() (string, []byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("account: random token: %w", err)
	}
	raw := base64.RawURLEncoding.EncodeToString(b)
	return raw, hashToken(raw), nil
}

// hashToken is SHA-256: the token is random, so a slow hash would add nothing.
func hashToken(raw string) []byte {
	h := sha256.Sum256([]byte(raw))
	return h[:]
}

// plausibleToken rejects, before any query, what newToken cannot have produced.
func plausibleToken(raw string) bool {
	if len(raw) != 43 {
		return false
	}
	return strings.Trim(raw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

// issueToken stores a new link for purpose and returns the token to mail.
func issueToken(ctx context.Context, db database.DB, purpose TokenPurpose, email string, accountID int64, ttl time.Duration) (string, error) {
	raw, hash, err := newToken()
	if err != nil {
		return "", err
	}
	var acct *int64
	if accountID != 0 {
		acct = &accountID
	}
	_, err = db.Exec(ctx, `INSERT INTO account_tokens (purpose, token_hash, email, account_id, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)`, string(purpose), hash, email, acct, ttl.String())
	if err != nil {
		return "", fmt.Errorf("account: issue %s link: %w", purpose, err)
	}
	return raw, nil
}

// LookupToken returns the live link raw of purpose without using it, or ErrTokenInvalid.
func LookupToken(ctx context.Context, db database.DB, purpose TokenPurpose, raw string) (Token, error) {
	if !plausibleToken(raw) {
		return Token{}, ErrTokenInvalid
	}
	return scanToken(db.QueryRow(ctx, `SELECT id, purpose, email, coalesce(account_id, 0), expires_at FROM account_tokens
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`, hashToken(raw), string(purpose)))
}

// useToken marks the live link raw used in the caller's transaction and returns it. The
// row lock makes a second use wait for the first and then find it used: one link, one use.
func useToken(ctx context.Context, tx pgx.Tx, purpose TokenPurpose, raw string) (Token, error) {
	if !plausibleToken(raw) {
		return Token{}, ErrTokenInvalid
	}
	return scanToken(tx.QueryRow(ctx, `UPDATE account_tokens SET used_at = now()
		WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
		RETURNING id, purpose, email, coalesce(account_id, 0), expires_at`, hashToken(raw), string(purpose)))
}

// spendTokens ends every live link of purpose for the account (a newer link, or the change
// it was for, makes older ones pointless).
func spendTokens(ctx context.Context, db database.DB, purpose TokenPurpose, accountID int64) error {
	_, err := db.Exec(ctx, `UPDATE account_tokens SET used_at = now()
		WHERE purpose = $1 AND account_id = $2 AND used_at IS NULL`, string(purpose), accountID)
	if err != nil {
		return fmt.Errorf("account: spend %s links: %w", purpose, err)
	}
	return nil
}

func scanToken(row pgx.Row) (Token, error) {
	var t Token
	var purpose string
	err := row.Scan(&t.ID, &purpose, &t.Email, &t.AccountID, &t.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, ErrTokenInvalid
	}
	if err != nil {
		return Token{}, fmt.Errorf("account: link: %w", err)
	}
	t.Purpose = TokenPurpose(purpose)
	return t, nil
}

// PruneTokens deletes links that expired more than a week ago (used or not); a daily job
// keeps the table small. It returns how many were deleted.
func PruneTokens(ctx context.Context, db database.DB) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM account_tokens WHERE expires_at < now() - interval '7 days'`)
	if err != nil {
		return 0, fmt.Errorf("account: prune links: %w", err)
	}
	return tag.RowsAffected(), nil
}
