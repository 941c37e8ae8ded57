package mail

// AccountRegistered is the data of account_registered.txt (アカウント登録完了のご案内),
// sent when an account is created, by the provisional letter's forced edit or by new
// registration.
type AccountRegistered struct {
	// FacilityName is the account's 医療機関等名.
	FacilityName string
	// ContactName is the account's 担当者名.
	ContactName string
	// Email is the new login address.
	Email string
	// BaseURL is config.BaseURL (no trailing slash), for the sign-in link.
	BaseURL string
}
