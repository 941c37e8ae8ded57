package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// Provisional credentials (仮メールアドレス・仮パスワード) are printed on the mailed letter
// アカウント登録案内文書 (kind "letter") or on an operator's パスワード等通知書 (kind "notice").

// Kinds of provisional credential.
const (
	KindLetter = "letter"
	KindNotice = "notice"
)

// ErrLiveCredential means the facility already has live provisional credentials; an
// operator deletes them (DeleteProvisional) before new ones are issued.
var ErrLiveCredential = errors.New("account: facility already has live provisional credentials")

// Letter is the data of one letter: the addressee from the master and the credentials
// printed on it. Password is the clear 仮パスワード, known only right after issuing; read
// back later (LetterData) it is empty, because only its keyed hash is stored.
type Letter struct {
	CredentialID int64
	Kind         string
	Facility     Facility
	LoginID      string // 仮メールアドレス, e.g. 412345670@13
	Password     string // 仮パスワード, e.g. pa7k3m9x2c4vbn8qr
	IssuedAt     time.Time
}

// PostalCode is the facility's 郵便番号 written 123-4567 when it is seven digits.
func (l Letter) PostalCode() string { return formatPostal(l.Facility.PostalCode) }

// PostalCodeDisplay is the 郵便番号 written 123-4567 when it is seven digits.
func (f Facility) PostalCodeDisplay() string { return formatPostal(f.PostalCode) }

func formatPostal(s string) string {
	d := strings.ReplaceAll(s, "-", "")
	if len(d) == 7 && strings.Trim(d, "0123456789") == "" {
		return d[:3] + "-" + d[3:]
	}
	return s
}

// LetterSteps are the steps printed on the back of the letter (「医療機関等向けポータルサイト」
// アカウント登録方法), word for word from the fund's letter of 令和5年2月3日.
var LetterSteps = []string{
	"① 検索サイト等で「医療機関ポータル」と検索、または右上のQRコードを読み取りください。",
	"② 医療機関等向けポータルサイトを開き、画面上部の右側の「すでにアカウントをお持ちの方はログイン」をクリックしてください。",
	"③ 表面記載の仮メールアドレス・仮パスワードを、それぞれ「メールアドレス・パスワード欄」に入力し、「ログイン」をクリックしてください。",
	"④ ログイン後、「アカウント情報編集」をクリックしてください。",
	"⑤ 現在登録されている貴医療機関・薬局の情報について、次のとおり変更・確認をして、「確認画面に進む」をクリックしてください。「パスワード」欄は空白になっていますので、貴医療機関・薬局が任意に設定するパスワードを入力してください。",
	"⑥ 変更内容が反映されているかご確認いただき、「上記の内容に同意して確定する」をクリックしてください。以上で完了です。",
}

// LoginID is the letter-style provisional login of a facility: 点数表(1) + 医療機関等コード(7)
// + the facility's issue number (0 for its first credential, 1 for the next…), "@" and the
// 都道府県コード(2), as on the letter (4XXXXXXXX@01). The issue number keeps a reissued
// credential from ever reusing an old ID; from the eleventh it takes two digits, which
// changes the length, so it still cannot meet another facility's ID.
func LoginID(f Facility, seq int) string {
	return fmt.Sprintf("%d%s%d@%02d", f.ScoreTableCode, f.Code, seq, f.PrefectureCode)
}

// The 仮パスワード is "pa" and passwordLen characters from an alphabet without the letters
// people misread on paper (0/o, 1/l/i): 31^15 ≈ 2^74, above the 70 bits that let it be
// stored under a fast keyed hash (HashSecret) instead of argon2id.
const (
	passwordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	passwordLen      = 15
)

// NewProvisionalPassword returns a random 仮パスワード.
func NewProvisionalPassword() (string, error) {
	var b strings.Builder
	b.Grow(2 + passwordLen)
	b.WriteString("pa")
	if err := appendRandom(&b, passwordLen); err != nil {
		return "", err
	}
	return b.String(), nil
}

// appendRandom appends n characters of passwordAlphabet drawn uniformly (rejection
// sampling: bytes at or above the largest multiple of the alphabet's size are dropped).
func appendRandom(b *strings.Builder, n int) error {
	const size = len(passwordAlphabet)
	const limit = 256 / size * size
	var buf [32]byte
	for n > 0 {
		if _, err := rand.Read(buf[:]); err != nil {
			return fmt.Errorf("account: random: %w", err)
		}
		for _, c := range buf {
			if int(c) >= limit {
				continue
			}
			b.WriteByte(passwordAlphabet[int(c)%size])
			if n--; n == 0 {
				break
			}
		}
	}
	return nil
}

// IssueOne issues provisional credentials of kind for one facility (an operator's
// reissue, a パスワード等通知書, the demo). A letter is refused for a facility that has an
// account (ErrFacilityTaken); a notice is for exactly that case. Either is refused while the
// facility still has live credentials (ErrLiveCredential).
func IssueOne(ctx context.Context, db database.DB, key []byte, facilityID int64, kind string) (Letter, error) {
	if kind != KindLetter && kind != KindNotice {
		return Letter{}, fmt.Errorf("account: unknown credential kind %q", kind)
	}
	f, err := FacilityByID(ctx, db, facilityID)
	if err != nil {
		return Letter{}, err
	}
	var hasAccount bool
	var seq int
	err = db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE facility_id = $1),
		(SELECT count(*) FROM provisional_credentials WHERE facility_id = $1)`, facilityID).Scan(&hasAccount, &seq)
	if err != nil {
		return Letter{}, fmt.Errorf("account: issue: %w", err)
	}
	if kind == KindLetter && hasAccount {
		return Letter{}, ErrFacilityTaken
	}
	if kind == KindNotice && !hasAccount {
		return Letter{}, ErrNotFound
	}
	pw, err := NewProvisionalPassword()
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Kind: kind, Facility: f, LoginID: LoginID(f, seq), Password: pw}
	err = db.QueryRow(ctx, `INSERT INTO provisional_credentials (facility_id, kind, login_id, secret_hash)
		VALUES ($1, $2, $3, $4) RETURNING id, issued_at`, facilityID, kind, l.LoginID, HashSecret(key, pw)).Scan(&l.CredentialID, &l.IssuedAt)
	switch {
	case database.IsUniqueViolation(err, "provisional_credentials_live_key"):
		return Letter{}, ErrLiveCredential
	case err != nil:
		return Letter{}, fmt.Errorf("account: issue: %w", err)
	}
	return l, nil
}

// LetterData returns the letter of the facility's live credentials, for printing it again
// or showing it to an operator. Password is empty: it was never stored.
func LetterData(ctx context.Context, db database.DB, facilityID int64) (Letter, error) {
	f, err := FacilityByID(ctx, db, facilityID)
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Facility: f}
	err = db.QueryRow(ctx, `SELECT id, kind, login_id, issued_at FROM provisional_credentials
		WHERE facility_id = $1 AND used_at IS NULL AND deleted_at IS NULL`, facilityID).Scan(&l.CredentialID, &l.Kind, &l.LoginID, &l.IssuedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Letter{}, ErrNotFound
	}
	if err != nil {
		return Letter{}, fmt.Errorf("account: letter of facility %d: %w", facilityID, err)
	}
	return l, nil
}

// DeleteProvisional ends live provisional credentials at a caller's request (the letter was
// lost), recording which operator did it, when and why. The facility then registers anew
// (SPEC §3.2); a session signed in with the credentials ends on its next request.
func DeleteProvisional(ctx context.Context, db database.DB, id, operatorID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errors.New("account: delete provisional credentials: a reason is required")
	}
	tag, err := db.Exec(ctx, `UPDATE provisional_credentials SET deleted_at = now(), deleted_by = $2, delete_reason = $3
		WHERE id = $1 AND used_at IS NULL AND deleted_at IS NULL`, id, operatorID, reason)
	if err != nil {
		return fmt.Errorf("account: delete provisional credentials: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ProvisionalSecretMatches reports whether plain is the 仮パスワード of credential id, so the
// forced edit can refuse it as the new password.
func ProvisionalSecretMatches(ctx context.Context, db database.DB, key []byte, id int64, plain string) (bool, error) {
	var stored []byte
	err := db.QueryRow(ctx, `SELECT secret_hash FROM provisional_credentials WHERE id = $1`, id).Scan(&stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("account: provisional secret: %w", err)
	}
	return hmac.Equal(stored, HashSecret(key, plain)), nil
}

// CompleteProvisional finishes the forced account edit in the caller's transaction: the
// credential is marked used, then the facility's account is created (a letter) or, for a
// パスワード等通知書 of a facility that has one, updated with the new address, password and
// particulars (its other sessions end). The credential's row lock makes a double submit
// wait for the first and then get ErrNotFound, so one edit makes one account.
func CompleteProvisional(ctx context.Context, tx pgx.Tx, provisionalID int64, n NewAccount) (Account, error) {
	var facilityID int64
	var kind string
	err := tx.QueryRow(ctx, `UPDATE provisional_credentials SET used_at = now()
		WHERE id = $1 AND used_at IS NULL AND deleted_at IS NULL RETURNING facility_id, kind`, provisionalID).Scan(&facilityID, &kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	if err != nil {
		return Account{}, fmt.Errorf("account: use provisional credentials: %w", err)
	}
	if facilityID != n.FacilityID {
		return Account{}, fmt.Errorf("account: provisional credentials %d are not facility %d's", provisionalID, n.FacilityID)
	}
	existing, err := ByFacility(ctx, tx, facilityID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Create(ctx, tx, n)
	case err != nil:
		return Account{}, err
	case kind != KindNotice:
		return Account{}, ErrFacilityTaken
	}
	if err := UpdateProfile(ctx, tx, existing.ID, n.Profile); err != nil {
		return Account{}, err
	}
	if _, err := SetEmail(ctx, tx, existing.ID, n.Email); err != nil {
		return Account{}, err
	}
	if _, err := SetPassword(ctx, tx, existing.ID, n.PasswordHash); err != nil {
		return Account{}, err
	}
	return ByID(ctx, tx, existing.ID)
}
