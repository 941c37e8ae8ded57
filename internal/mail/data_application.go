package mail

// ApplicationNotice is the data of the mails of オンライン資格確認利用申請 (qualification_*.txt)
// and 電子証明書発行申請 (certificate_*.txt): who, which 申込番号, and what was received or done.
type ApplicationNotice struct {
	// FacilityName is the 医療機関等名称.
	FacilityName string
	// ReferenceNumber is the application's 申込番号.
	ReferenceNumber string
	// Details say what was received or changed, one line each.
	Details []string
	// Reason is the operator's reason (差戻し); empty otherwise.
	Reason string
	// BaseURL is config.BaseURL, for the sign-in link.
	BaseURL string
}
