package mail

// The render samples of the card reader mails beyond cardreader_applied.
func init() {
	type sample = struct {
		data    any
		subject string
		lines   []string
	}
	changed := CardReaderApplied{FacilityName: "テスト医院", ReferenceNumber: "CR261122-000001", BaseURL: "https://portal.example.jp",
		Details: []string{"■申込みカードリーダー", "富士通Japan／Caora　1台"}}
	samples["cardreader_changed"] = sample{data: changed, subject: "顔認証付きカードリーダー申込内容変更のお知らせ",
		lines: []string{"◆◆—————◆◆", "顔認証付きカードリーダー申込内容変更のご案内", "テスト医院 ご担当者様", "CR261122-000001", "富士通Japan／Caora　1台", "https://portal.example.jp/login"}}
	samples["cardreader_cancelled"] = sample{data: changed, subject: "顔認証付きカードリーダー申込取消のお知らせ",
		lines: []string{"顔認証付きカードリーダー申込取消のご案内", "CR261122-000001"}}
	samples["cardreader_delivery_date"] = sample{
		data:    CardReaderDeliveryDate{FacilityName: "テスト医院", ReferenceNumber: "CR261122-000001", DeliveryDate: "2026年12月10日（令和8年12月10日）", BaseURL: "https://portal.example.jp"},
		subject: "顔認証付きカードリーダー配送予定日のお知らせ",
		lines:   []string{"顔認証付きカードリーダー配送予定日のご案内", "■配送予定日", "2026年12月10日（令和8年12月10日）", "費用相当額を返還"}}
	samples["cardreader_delivery_date_corrected"] = sample{
		data: CardReaderDeliveryDate{FacilityName: "テスト医院", ReferenceNumber: "CR261122-000001", DeliveryDate: "2026年12月17日（令和8年12月17日）",
			PreviousDate: "2026年12月10日（令和8年12月10日）", BaseURL: "https://portal.example.jp"},
		subject: "【訂正】顔認証付きカードリーダー配送予定日のお知らせ",
		lines: []string{"顔認証付きカードリーダー配送予定日の訂正のご案内", "■配送予定日（訂正後）", "2026年12月17日（令和8年12月17日）",
			"■配送予定日（訂正前）", "2026年12月10日（令和8年12月10日）"}}
}
