package mail

// CardReaderChanged is the data of cardreader_changed.txt and cardreader_cancelled.txt.
type CardReaderChanged struct {
	// FacilityName is the 医療機関等名称.
	FacilityName string
	// ReferenceNumber is the application's 受付番号.
	ReferenceNumber string
	// BaseURL is config.BaseURL, for the sign-in link.
	BaseURL string
}

// CardReaderDeliveryDate is the data of cardreader_delivery_date.txt.
type CardReaderDeliveryDate struct {
	FacilityName    string
	ReferenceNumber string
	// DeliveryDate is the 配送予定日 as shown, e.g. 2026年12月10日（木）.
	DeliveryDate string
	BaseURL      string
}
