package web

import "net/http"

// passwordChangeDone is the completion page of the password change.
func (s *Server) passwordChangeDone(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account_notice", &noticePage{
		Title: "パスワードの変更が完了しました",
		Lines: []string{
			"次回から新しいパスワードでログインしてください。ほかの端末やブラウザでのログインは終了しました。",
			"登録されたメールアドレスあてに「パスワード変更完了のお知らせ」を送信しました。",
		},
		Links: []noticeLink{{Href: "/mypage", Label: "マイページへ", Primary: true}},
	})
}
