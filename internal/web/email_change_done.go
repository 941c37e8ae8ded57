package web

import "net/http"

// emailChangeDone is the completion page of the e-mail change.
func (s *Server) emailChangeDone(w http.ResponseWriter, r *http.Request) {
	page := &noticePage{
		Title: "メールアドレスの変更が完了しました",
		Lines: []string{
			"今後は新しいメールアドレスでログインしてください。ほかの端末やブラウザでのログインは終了しました。",
			"変更前のメールアドレスあてに「メールアドレス変更完了のお知らせ」を送信しました。",
		},
		Links: []noticeLink{{Href: "/login", Label: "ログイン画面へ", Primary: true}},
	}
	if p := currentUser(r); p != nil && p.Account != nil {
		page.Email = p.Account.Email
		page.Links = []noticeLink{{Href: "/mypage", Label: "マイページへ", Primary: true}}
	}
	s.render(w, r, http.StatusOK, "account_notice", page)
}
