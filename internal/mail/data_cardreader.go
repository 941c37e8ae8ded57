package mail

// CardReaderDeliveryDate is the data of cardreader_delivery_date.txt and of
// cardreader_delivery_date_corrected.txt.
type CardReaderDeliveryDate struct {
	FacilityName    string
	ReferenceNumber string
	// DeliveryDate is the 配送予定日 as shown, e.g. 2026年12月10日（令和8年12月10日）.
	DeliveryDate string
	// PreviousDate is the date mailed before, which the correction replaces ("" otherwise).
	PreviousDate string
	BaseURL      string
}
