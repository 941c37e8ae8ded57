package mail

// The data of each template, one struct per message, so a missing field fails at Enqueue
// (and at compile time) instead of mailing a hole. Add yours next to your template file.

// CardReaderApplied is the data of cardreader_applied.txt
// (顔認証付きカードリーダー申込完了のお知らせ), cardreader_changed.txt and cardreader_cancelled.txt.
type CardReaderApplied struct {
	// FacilityName is the 医療機関等名称 the application was made for.
	FacilityName string
	// ReferenceNumber is the application's 申込番号.
	ReferenceNumber string
	// Details say what was received: the readers, their number and where they go.
	Details []string
	// BaseURL is config.BaseURL (no trailing slash), for the sign-in link.
	BaseURL string
}
