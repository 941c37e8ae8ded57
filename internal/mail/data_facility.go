package mail

// Data of the mails the call center's steps send to a facility's account (internal/facility).
// Each tells the facility what an operator did to its account, so a step asked for by
// someone else on the phone does not go unnoticed.

// NoticeIssued is the data of notice_issued.txt (パスワード等通知書発行のお知らせ), sent to the
// account's address when an operator issues a パスワード等通知書 by post.
type NoticeIssued struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// IssuedAt is when the notice was issued.
	IssuedAt string
	// BaseURL is config.BaseURL, for the login link.
	BaseURL string
}

// AccountUnlocked is the data of account_unlocked.txt (ログイン停止解除のお知らせ), sent when
// an operator lifts a sign-in lock-out.
type AccountUnlocked struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// UnlockedAt is when the lock-out was lifted.
	UnlockedAt string
	// BaseURL is config.BaseURL, for the login and password-reset links.
	BaseURL string
}
