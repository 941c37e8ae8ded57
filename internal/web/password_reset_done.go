package web

import "net/http"

// passwordResetDone is the completion page of the reset.
func (s *Server) passwordResetDone(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "account_notice", &noticePage{
		Title: "パスワードの再設定が完了しました",
		Lines: []string{
			"新しいパスワードでログインしてください。",
			"ほかの端末やブラウザでのログインは終了しました。登録されたメールアドレスあてに「パスワード変更完了のお知らせ」を送信しました。",
		},
		Links: []noticeLink{{Href: "/login", Label: "ログイン画面へ", Primary: true}},
	})
}
