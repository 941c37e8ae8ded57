// Package account holds facility accounts (アカウント): the facility master they belong to,
// provisional credentials from the mailed letter, sign-in with lock-out, and account upkeep.
// It knows nothing of HTTP.
package account

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"portal/internal/pref"
)

// Sentinel errors of the store.
var (
	// ErrNotFound means no such record.
	ErrNotFound = errors.New("account: not found")
	// ErrEmailTaken means another account already uses the address (one facility per address).
	ErrEmailTaken = errors.New("account: e-mail address already registered")
	// ErrFacilityTaken means the facility already has an account (one account per facility).
	ErrFacilityTaken = errors.New("account: facility already has an account")
	// ErrInvalidCredentials is the one answer for an unknown login and a wrong password.
	ErrInvalidCredentials = errors.New("account: invalid login or password")
)

// LockedError is returned while a login is locked after repeated failures.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("account: login locked until %s", e.Until.Format(time.RFC3339))
}

// 施設種別 and the 点数表 of pharmacies, as package pref defines them.
const (
	KindHospital       = pref.KindHospital
	KindClinic         = pref.KindClinic
	KindPharmacy       = pref.KindPharmacy
	ScoreTablePharmacy = pref.ScoreTablePharmacy
)

// Facility is a facility of the master (施設マスタ) as the fund knows it.
type Facility struct {
	ID                        int64
	PrefectureCode            int
	ScoreTableCode            int
	Code                      string
	Kind                      string // 病院, 診療所 or 薬局
	Name                      string
	FounderName               string
	PostalCode                string
	Address                   string
	Phone                     string
	LargeChainPharmacy        bool // 大型チェーン薬局
	DentalHospitalWithMedical bool // 医科併設の歯科病院
}

// PrefectureName is the facility's 都道府県名.
func (f Facility) PrefectureName() string { return pref.Name(f.PrefectureCode) }

// FullAddress is the 所在地 with its 都道府県 in front, which the master's 所在地 may or may
// not begin with already.
func (f Facility) FullAddress() string {
	if p := f.PrefectureName(); !strings.HasPrefix(f.Address, p) {
		return p + f.Address
	}
	return f.Address
}

// ScoreTableLabel is e.g. "4調剤", as the account form shows it.
func (f Facility) ScoreTableLabel() string {
	return fmt.Sprintf("%d%s", f.ScoreTableCode, pref.ScoreTableName(f.ScoreTableCode))
}

// TenDigitCode is pref(2)+点数表(1)+code(7).
func (f Facility) TenDigitCode() string {
	return fmt.Sprintf("%02d%d%s", f.PrefectureCode, f.ScoreTableCode, f.Code)
}

// Account is a facility's registered portal account.
type Account struct {
	ID             int64
	FacilityID     int64
	Email          string
	FacilityName   string // 医療機関等名
	FounderName    string // 開設者氏名
	Phone          string // 電話番号
	ContactName    string // 担当者名
	SessionVersion int
	CreatedAt      time.Time
	UpdatedAt      time.Time

	passwordHash string
}

// Profile is the editable part of an account.
type Profile struct {
	FacilityName string
	FounderName  string
	Phone        string
	ContactName  string
}

// NewAccount is what creating an account needs; PasswordHash comes from password.Hash,
// computed before the transaction so the slow hash holds no locks.
type NewAccount struct {
	FacilityID   int64
	Email        string
	PasswordHash string
	Profile
}

// ProvisionalCredential is a 仮メールアドレス/仮パスワード pair (kind "letter") or the one-time
// login of a パスワード等通知書 (kind "notice"). Signing in with it leads only to the forced
// account edit.
type ProvisionalCredential struct {
	ID         int64
	FacilityID int64
	Kind       string
	LoginID    string
	IssuedAt   time.Time
}

// Principal is who a successful sign-in is: an account, or a provisional credential that
// must first complete the forced account edit.
type Principal struct {
	AccountID      int64 // 0 for a provisional sign-in
	ProvisionalID  int64 // 0 for an account
	FacilityID     int64
	SessionVersion int
}

// Provisional reports whether the principal must complete the forced account edit.
func (p Principal) Provisional() bool { return p.ProvisionalID != 0 }
