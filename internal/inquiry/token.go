package inquiry

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The form token is the inquiry form's signed timestamp and its identity: the time the
// form was shown and a random nonce, signed with SESSION_SECRET. It keeps out programs
// that post faster than anyone types (MinFillTime) without a puzzle, and it names the
// case the form makes: the same token posted twice (a double click, a resubmitted page)
// is one case. Visitors have no session, so the token travels in the form itself.

// Token errors.
var (
	// ErrTokenInvalid means the token is missing, malformed or not signed by the portal.
	ErrTokenInvalid = errors.New("inquiry: form token invalid")
	// ErrTooFast means the form came back sooner than a person fills it.
	ErrTooFast = errors.New("inquiry: form sent too fast")
	// ErrTokenExpired means the form was opened too long ago.
	ErrTokenExpired = errors.New("inquiry: form token expired")
)

// Defaults of the form token.
const (
	// DefaultMinFillTime is the least time between showing the form and sending it.
	DefaultMinFillTime = 3 * time.Second
	// TokenLifetime is how long a shown form may be sent.
	TokenLifetime = 24 * time.Hour
)

// Token messages for the form page.
const (
	MsgTooFast = "送信までの時間が短すぎたため、受け付けられませんでした。入力内容をご確認のうえ、もう一度「送信する」を押してください。"
	MsgExpired = "画面を開いてから時間が経ったため、受け付けられませんでした。入力内容はそのまま残っています。もう一度「送信する」を押してください。"
	MsgSpam    = "送信内容を確認できませんでした。入力内容をご確認のうえ、もう一度「送信する」を押してください。"
)

// NewFormToken returns a token for a form shown at now, signed with key.
func NewFormToken(key []byte, now time.Time) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	payload := strconv.FormatInt(now.Unix(), 10) + "." + hex.EncodeToString(b)
	return payload + "." + sign(key, payload)
}

func sign(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("inquiry-form:" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckFormToken verifies token at now: ErrTokenInvalid, ErrTooFast (sent sooner than
// minFill after the form was shown) or ErrTokenExpired, else nil.
func CheckFormToken(key []byte, token string, now time.Time, minFill time.Duration) error {
	if len(token) > 128 {
		return ErrTokenInvalid
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return ErrTokenInvalid
	}
	payload, sig := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sig), []byte(sign(key, payload))) {
		return ErrTokenInvalid
	}
	ts, _, ok := strings.Cut(payload, ".")
	unix, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil {
		return ErrTokenInvalid
	}
	shown := time.Unix(unix, 0)
	switch {
	case now.Sub(shown) > TokenLifetime:
		return ErrTokenExpired
	case now.Sub(shown) < minFill:
		return ErrTooFast
	}
	return nil
}

// NewStepToken returns a random single-use token for the forms of a case's thread (an
// answer, a reply, a note): the same form posted twice adds one entry.
func NewStepToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// validStepToken accepts what NewStepToken makes.
func validStepToken(t string) bool {
	if len(t) != 32 {
		return false
	}
	_, err := hex.DecodeString(t)
	return err == nil
}
