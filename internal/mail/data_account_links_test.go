package mail

// Render samples of the registration, reset and e-mail change mails.
func init() {
	type sample = struct {
		data    any
		subject string
		lines   []string
	}
	samples["register_url"] = sample{
		data:    RegistrationURL{URL: "https://portal.example.jp/register/verify?token=abc", ExpiresAt: "2026年11月23日 11時30分", BaseURL: "https://portal.example.jp"},
		subject: "医療機関等向けポータルサイトアカウント登録用URLのご案内",
		lines:   []string{"◆◆—————◆◆", "https://portal.example.jp/register/verify?token=abc", "2026年11月23日 11時30分", "https://portal.example.jp/register"},
	}
	samples["register_existing"] = sample{
		data:    RegistrationExisting{Email: "clinic@example.jp", BaseURL: "https://portal.example.jp"},
		subject: "医療機関等向けポータルサイトアカウント登録用URLのご案内",
		lines:   []string{"clinic@example.jp", "すでにアカウントが登録されています", "https://portal.example.jp/login", "https://portal.example.jp/password/forgot"},
	}
	samples["password_reset_url"] = sample{
		data:    PasswordResetURL{FacilityName: "テスト医院", URL: "https://portal.example.jp/password/reset/verify?token=abc", ExpiresAt: "2026年11月22日 12時30分", BaseURL: "https://portal.example.jp"},
		subject: "パスワード再設定用URLのご案内",
		lines:   []string{"テスト医院", "https://portal.example.jp/password/reset/verify?token=abc", "2026年11月22日 12時30分", "https://portal.example.jp/password/forgot"},
	}
	samples["password_changed"] = sample{
		data:    PasswordChanged{FacilityName: "テスト医院", ChangedAt: "2026年11月22日 11時30分", BaseURL: "https://portal.example.jp"},
		subject: "パスワード変更完了のお知らせ",
		lines:   []string{"テスト医院", "2026年11月22日 11時30分", "https://portal.example.jp/password/forgot"},
	}
	samples["email_change_url"] = sample{
		data:    EmailChangeURL{FacilityName: "テスト医院", NewEmail: "new@example.jp", URL: "https://portal.example.jp/account/email/confirm?token=abc", ExpiresAt: "2026年11月23日 11時30分"},
		subject: "メールアドレス変更確認用URLのご案内",
		lines:   []string{"テスト医院", "new@example.jp", "https://portal.example.jp/account/email/confirm?token=abc", "2026年11月23日 11時30分"},
	}
	samples["email_changed"] = sample{
		data:    EmailChanged{FacilityName: "テスト医院", NewEmail: "n***@example.jp", ChangedAt: "2026年11月22日 11時30分"},
		subject: "メールアドレス変更完了のお知らせ",
		lines:   []string{"テスト医院", "n***@example.jp", "2026年11月22日 11時30分", "0800-080-4583"},
	}
}
