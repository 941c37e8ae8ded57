package mail

// The render samples of the account mails, kept beside their data types so the owners of
// render_test.go and of these templates do not edit the same file.
func init() {
	samples["account_registered"] = struct {
		data    any
		subject string
		lines   []string
	}{
		data:    AccountRegistered{FacilityName: "テスト医院", ContactName: "山田花子", Email: "clinic@example.jp", BaseURL: "https://portal.example.jp"},
		subject: "アカウント登録完了のご案内",
		lines:   []string{"◆◆—————◆◆", "アカウント登録完了のご案内", "テスト医院", "山田花子 様", "clinic@example.jp", "https://portal.example.jp/login"},
	}
}
