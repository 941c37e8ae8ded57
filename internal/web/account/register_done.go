package account

import (
	"net/http"
	"portal/internal/web/site"
)

// registerDone is the completion page of new registration.
func (h *Handler) registerDone(w http.ResponseWriter, r *http.Request) {
	email := h.Sessions.GetString(r.Context(), sessRegisterDone)
	if email == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "site/notice", &site.NoticePage{
		Title: "アカウント登録が完了しました",
		Email: email,
		Lines: []string{
			"登録されたメールアドレスあてに「アカウント登録完了のご案内」を送信しました。",
			"今後は、このメールアドレスと設定したパスワードでログインしてください。",
		},
		Links: []site.NoticeLink{{Href: "/login", Label: "ログイン画面へ", Primary: true}, {Href: "/", Label: "トップページへ"}},
	})
}
