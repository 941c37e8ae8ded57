package mail

import "time"

// Data of the mails of new registration, password reset, password change and e-mail
// change (SPEC §3.2, §3.3). Times are already formatted in Japan time by the caller
// ("2026年11月22日 11時30分").

// RegistrationURL is the data of register_url.txt
// (医療機関等向けポータルサイトアカウント登録用URLのご案内).
type RegistrationURL struct {
	// URL is the single-use link that opens the account form.
	URL string
	// ExpiresAt is when the link stops working.
	ExpiresAt string
	// BaseURL is config.BaseURL, for asking again.
	BaseURL string
}

// RegistrationExisting is the data of register_existing.txt, sent instead of a link when
// the address asking for one already belongs to an account, so the page can give every
// address the same answer.
type RegistrationExisting struct {
	// Email is the address, which is already a login ID.
	Email string
	// BaseURL is config.BaseURL, for the login and password-reset links.
	BaseURL string
}

// PasswordResetURL is the data of password_reset_url.txt (パスワード再設定用URLのご案内).
type PasswordResetURL struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// URL is the single-use link to set a new password.
	URL string
	// ExpiresAt is when the link stops working.
	ExpiresAt string
	// BaseURL is config.BaseURL, for asking again.
	BaseURL string
}

// PasswordChanged is the data of password_changed.txt (パスワード変更完了のお知らせ), sent
// after a reset or a change.
type PasswordChanged struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// ChangedAt is when the password changed.
	ChangedAt string
	// BaseURL is config.BaseURL, for the login and password-reset links.
	BaseURL string
}

// EmailChangeURL is the data of email_change_url.txt (メールアドレス変更確認用URLのご案内),
// sent to the new address.
type EmailChangeURL struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// NewEmail is the address to switch to (this mail's recipient).
	NewEmail string
	// URL is the single-use confirmation link.
	URL string
	// ExpiresAt is when the link stops working.
	ExpiresAt string
}

// EmailChanged is the data of email_changed.txt (メールアドレス変更完了のお知らせ), sent to
// the old address once the change is done.
type EmailChanged struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// NewEmail is the new login address, masked except for its first character and domain.
	NewEmail string
	// ChangedAt is when the address changed.
	ChangedAt string
}

// japanTime is Japan Standard Time; Japan has no daylight saving, so a fixed zone is exact
// and needs no tzdata in the image.
var japanTime = time.FixedZone("JST", 9*60*60)

// LinkTime formats t as the mails of this file show times ("2026年11月22日 11時30分"), in
// Japan time.
func LinkTime(t time.Time) string { return t.In(japanTime).Format("2006年1月2日 15時04分") }
