package mail

// CardReaderDeliveryDate is the data of cardreader_delivery_date.txt.
type CardReaderDeliveryDate struct {
	FacilityName    string
	ReferenceNumber string
	// DeliveryDate is the 配送予定日 as shown, e.g. 2026年12月10日（木）.
	DeliveryDate string
	BaseURL      string
}
