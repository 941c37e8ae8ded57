package mail

import "testing"

// Render samples of the call center's notices to an account.
func init() {
	type sample = struct {
		data    any
		subject string
		lines   []string
	}
	samples["notice_issued"] = sample{
		data:    NoticeIssued{FacilityName: "テスト医院", IssuedAt: "2026年12月1日（令和8年12月1日） 10:00", BaseURL: "https://portal.example.jp"},
		subject: "パスワード等通知書発行のお知らせ",
		lines:   []string{"テスト医院 ご担当者様", "パスワード等通知書", "2026年12月1日（令和8年12月1日） 10:00", "https://portal.example.jp/login"},
	}
	samples["account_unlocked"] = sample{
		data:    AccountUnlocked{FacilityName: "テスト医院", UnlockedAt: "2026年12月1日（令和8年12月1日） 10:00", BaseURL: "https://portal.example.jp"},
		subject: "ログイン停止解除のお知らせ",
		lines:   []string{"テスト医院 ご担当者様", "2026年12月1日（令和8年12月1日） 10:00", "https://portal.example.jp/password/forgot"},
	}
}

func TestTemplateSubject(t *testing.T) {
	t.Parallel()
	if got := TemplateSubject("notice_issued"); got != "パスワード等通知書発行のお知らせ" {
		t.Errorf("subject %q", got)
	}
	if got := TemplateSubject("no_such"); got != "no_such" {
		t.Errorf("unknown template %q", got)
	}
}
