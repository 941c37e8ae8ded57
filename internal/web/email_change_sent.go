package web

import "net/http"

// emailChangeSent says that the confirmation link went to the new address.
func (s *Server) emailChangeSent(w http.ResponseWriter, r *http.Request) {
	to := s.sessions.GetString(r.Context(), sessEmailChangeTo)
	if to == "" {
		http.Redirect(w, r, "/account/email", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account_notice", &noticePage{
		Title: "確認メールを送信しました",
		Email: to,
		Lines: []string{
			"新しいメールアドレスあてに「メールアドレス変更確認用URLのご案内」メールを送信しました。メールに記載のURLを開くと、メールアドレスの変更が確定します。URLの有効期限は24時間です。",
			"変更が確定するまでは、現在のメールアドレスでログインしてください。",
		},
		Links: []noticeLink{{Href: "/mypage", Label: "マイページへ", Primary: true}},
	})
}
