package mail

// The render samples of the 利用申請 and 電子証明書 mails.
func init() {
	type sample = struct {
		data    any
		subject string
		lines   []string
	}
	q := ApplicationNotice{FacilityName: "テスト医院", ReferenceNumber: "QA261201-000001", BaseURL: "https://portal.example.jp",
		Details: []string{"電気通信回線種別：IP-VPN接続方式", "利用開始予定年月：2027年4月（令和9年4月）"}}
	for name, subject := range map[string]string{
		"qualification_applied":     "オンライン資格確認利用申請受付のお知らせ",
		"qualification_changed":     "オンライン資格確認利用申請内容変更のお知らせ",
		"qualification_resubmitted": "オンライン資格確認利用申請再申請受付のお知らせ",
		"qualification_approved":    "オンライン資格確認利用申請承認のお知らせ",
	} {
		samples[name] = sample{data: q, subject: subject,
			lines: []string{"テスト医院 ご担当者様", "■申込番号", "QA261201-000001", "電気通信回線種別：IP-VPN接続方式", "https://portal.example.jp/login"}}
	}
	returned := q
	returned.Reason = "お客さまIDが回線契約と一致しません。"
	samples["qualification_returned"] = sample{data: returned, subject: "オンライン資格確認利用申請差戻しのお知らせ",
		lines: []string{"■差戻しの理由", "お客さまIDが回線契約と一致しません。"}}
	c := ApplicationNotice{FacilityName: "テスト医院", ReferenceNumber: "EC261201-000001", BaseURL: "https://portal.example.jp",
		Details: []string{"受付端末1（資格確認端末）"}}
	for name, subject := range map[string]string{
		"certificate_applied":          "電子証明書発行申請受付のお知らせ",
		"certificate_cancelled":        "電子証明書発行申請取消のお知らせ",
		"certificate_issued":           "電子証明書発行のお知らせ",
		"certificate_revoke_requested": "電子証明書失効申請受付のお知らせ",
		"certificate_revoked":          "電子証明書失効のお知らせ",
	} {
		samples[name] = sample{data: c, subject: subject, lines: []string{"EC261201-000001", "受付端末1（資格確認端末）"}}
	}
}
