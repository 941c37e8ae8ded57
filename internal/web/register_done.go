package web

import "net/http"

// registerDone is the completion page of new registration.
func (s *Server) registerDone(w http.ResponseWriter, r *http.Request) {
	email := s.sessions.GetString(r.Context(), sessRegisterDone)
	if email == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "account_notice", &noticePage{
		Title: "アカウント登録が完了しました",
		Email: email,
		Lines: []string{
			"登録されたメールアドレスあてに「アカウント登録完了のご案内」を送信しました。",
			"今後は、このメールアドレスと設定したパスワードでログインしてください。",
		},
		Links: []noticeLink{{Href: "/login", Label: "ログイン画面へ", Primary: true}, {Href: "/", Label: "トップページへ"}},
	})
}
