package operator

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"portal/internal/database"
)

// The second factor is TOTP (RFC 6238) as every authenticator app knows it: HMAC-SHA1,
// six digits, a new code every 30 seconds. A code of the step before or after the current
// one is accepted (clocks drift), a step once used never again (no replay).
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// TOTPIssuer names the portal in the operator's authenticator app.
	TOTPIssuer = "医療機関等向けポータルサイト"
	// RecoveryCodeCount is how many one-time recovery codes an enrolment gives.
	RecoveryCodeCount = 10
)

// Errors of the second factor.
var (
	// ErrBadCode means the code is neither the authenticator's current one nor an unused
	// recovery code.
	ErrBadCode = errors.New("operator: wrong second-factor code")
	// ErrReplayedCode means the code was right but its step was already used.
	ErrReplayedCode = errors.New("operator: second-factor code already used")
	// ErrEnrolled means the operator already has a second factor.
	ErrEnrolled = errors.New("operator: second factor already enrolled")
	// ErrNotEnrolled means the operator has no second factor yet (enrolment comes first).
	ErrNotEnrolled = errors.New("operator: no second factor enrolled")
)

// Enrolment is what the enrolment page shows: the secret as text and as a QR code.
type Enrolment struct {
	// Secret is the base32 secret, for typing into an app that cannot scan.
	Secret string
	// URL is the otpauth:// URL the QR code holds.
	URL string
	// QR is the QR code as a PNG data: URL (the page's CSP allows img-src data:).
	QR string
}

// SecretGroups is the secret in groups of four characters, easier to type.
func (e Enrolment) SecretGroups() string {
	var b strings.Builder
	for i, r := range e.Secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sealKey derives the key that seals TOTP secrets at rest from SESSION_SECRET, so a copy
// of the database alone does not give the second factors away.
func sealKey(sessionSecret []byte) []byte {
	m := hmac.New(sha256.New, sessionSecret)
	m.Write([]byte("operator totp secret v1"))
	return m.Sum(nil)
}

func seal(key []byte, secret string) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("operator: seal: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("operator: seal: %w", err)
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("operator: seal: %w", err)
	}
	return gcm.Seal(nonce, nonce, []byte(secret), nil), nil
}

func unseal(key, sealed []byte) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", fmt.Errorf("operator: unseal: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", fmt.Errorf("operator: unseal: %w", err)
	}
	if len(sealed) < gcm.NonceSize() {
		return "", errors.New("operator: unseal: damaged secret")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
	if err != nil {
		// SESSION_SECRET changed since enrolment: the factor must be reset.
		return "", fmt.Errorf("operator: unseal (was SESSION_SECRET changed?): %w", err)
	}
	return string(plain), nil
}

// step is the 30-second step t falls in.
func step(t time.Time) int64 { return t.Unix() / totpPeriod }

// CodeAt is the code secret shows at t (tests, and `portal operator totp-code` on a
// development machine).
func CodeAt(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
}

// matchStep returns the step within one of now's whose code is code, or 0.
func matchStep(secret, code string, now time.Time) int64 {
	if len(code) != totpDigits.Length() {
		return 0
	}
	for _, d := range []int64{0, -1, 1} {
		s := step(now) + d
		want, err := CodeAt(secret, time.Unix(s*totpPeriod, 0))
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s
		}
	}
	return 0
}

// enrolmentOf builds the enrolment page's content for login from secret.
func enrolmentOf(login, secret string) (Enrolment, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return Enrolment{}, fmt.Errorf("operator: enrolment: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: login, Period: totpPeriod,
		Secret: raw, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, fmt.Errorf("operator: enrolment: %w", err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, fmt.Errorf("operator: enrolment QR: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, fmt.Errorf("operator: enrolment QR: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(),
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// NewTOTPSecret draws a fresh base32 secret (160 bits, as RFC 4226 recommends).
func NewTOTPSecret() (string, error) {
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("operator: new secret: %w", err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw), nil
}

// secretOf returns the operator's stored secret (enrolled or pending), "" when none.
func secretOf(ctx context.Context, db database.DB, key []byte, id int64) (string, error) {
	var sealed []byte
	if err := db.QueryRow(ctx, `SELECT totp_secret FROM operators WHERE id = $1`, id).Scan(&sealed); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return "", ErrNotFound
		}
		return "", fmt.Errorf("operator: secret: %w", err)
	}
	if sealed == nil {
		return "", nil
	}
	return unseal(key, sealed)
}

// beginEnrolment returns the operator's pending secret, drawing and storing one if there
// is none: reloading the page shows the secret the operator may already have scanned.
func beginEnrolment(ctx context.Context, tx pgx.Tx, key []byte, o Operator) (Enrolment, error) {
	if o.Enrolled() {
		return Enrolment{}, ErrEnrolled
	}
	secret, err := secretOf(ctx, tx, key, o.ID)
	if err != nil {
		return Enrolment{}, err
	}
	if secret == "" {
		if secret, err = NewTOTPSecret(); err != nil {
			return Enrolment{}, err
		}
		sealed, err := seal(key, secret)
		if err != nil {
			return Enrolment{}, err
		}
		if _, err := tx.Exec(ctx, `UPDATE operators SET totp_secret = $2 WHERE id = $1`, o.ID, sealed); err != nil {
			return Enrolment{}, fmt.Errorf("operator: begin enrolment: %w", err)
		}
	}
	return enrolmentOf(o.Login, secret)
}

// setFactor enrols secret for the operator: the factor is set up, the step the first code
// was accepted for is remembered, ten recovery codes replace any older ones, and the
// operator's sessions end. It returns the recovery codes, which are stored only hashed.
func setFactor(ctx context.Context, tx pgx.Tx, key []byte, id int64, secret string, usedStep int64) ([]string, error) {
	sealed, err := seal(key, secret)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `UPDATE operators SET totp_secret = $2, totp_enrolled_at = now(), totp_last_step = $3,
		session_version = session_version + 1 WHERE id = $1`, id, sealed, usedStep); err != nil {
		return nil, fmt.Errorf("operator: enrol: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM operator_recovery_codes WHERE operator_id = $1`, id); err != nil {
		return nil, fmt.Errorf("operator: enrol: %w", err)
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		if codes[i], err = newRecoveryCode(); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO operator_recovery_codes (operator_id, code_hash) VALUES ($1, $2)`,
			id, hashRecoveryCode(codes[i])); err != nil {
			return nil, fmt.Errorf("operator: recovery codes: %w", err)
		}
	}
	return codes, nil
}

// clearFactor removes the operator's second factor and recovery codes and ends the
// operator's sessions: the next sign-in enrols again.
func clearFactor(ctx context.Context, tx pgx.Tx, id int64) error {
	if _, err := tx.Exec(ctx, `UPDATE operators SET totp_secret = NULL, totp_enrolled_at = NULL, totp_last_step = 0,
		session_version = session_version + 1 WHERE id = $1`, id); err != nil {
		return fmt.Errorf("operator: reset factor: %w", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM operator_recovery_codes WHERE operator_id = $1`, id); err != nil {
		return fmt.Errorf("operator: reset factor: %w", err)
	}
	return nil
}

// checkCode accepts the operator's current TOTP code (once per step) or one unused
// recovery code, in tx. usedRecovery tells which it was.
func checkCode(ctx context.Context, tx pgx.Tx, key []byte, o Operator, code string, now time.Time) (usedRecovery bool, err error) {
	code = normaliseCode(code)
	if len(code) == totpDigits.Length() && strings.Trim(code, "0123456789") == "" {
		secret, err := secretOf(ctx, tx, key, o.ID)
		if err != nil {
			return false, err
		}
		s := matchStep(secret, code, now)
		if s == 0 {
			return false, ErrBadCode
		}
		tag, err := tx.Exec(ctx, `UPDATE operators SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, o.ID, s)
		if err != nil {
			return false, fmt.Errorf("operator: code step: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return false, ErrReplayedCode
		}
		return false, nil
	}
	if len(code) != recoveryCodeLen {
		return false, ErrBadCode
	}
	tag, err := tx.Exec(ctx, `UPDATE operator_recovery_codes SET used_at = now()
		WHERE operator_id = $1 AND code_hash = $2 AND used_at IS NULL`, o.ID, hashRecoveryCode(code))
	if err != nil {
		return false, fmt.Errorf("operator: recovery code: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return false, ErrBadCode
	}
	return true, nil
}

// normaliseCode drops what people type between characters (spaces, hyphens) and folds case.
func normaliseCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\u3000' || r == 'ー' || r == '－':
			return -1
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// Recovery codes are ten characters from an alphabet without look-alikes (no 0/O, 1/I),
// 50 bits each, shown as XXXXX-XXXXX.
const (
	recoveryAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	recoveryCodeLen  = 10
)

func newRecoveryCode() (string, error) {
	raw := make([]byte, recoveryCodeLen)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("operator: recovery code: %w", err)
	}
	out := make([]byte, 0, recoveryCodeLen+1)
	for i, b := range raw {
		if i == recoveryCodeLen/2 {
			out = append(out, '-')
		}
		out = append(out, recoveryAlphabet[int(b)%len(recoveryAlphabet)])
	}
	return string(out), nil
}

func hashRecoveryCode(code string) []byte {
	sum := sha256.Sum256([]byte(normaliseCode(code)))
	return sum[:]
}
