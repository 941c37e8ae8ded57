package account

import (
	"net/http"
	"portal/internal/web/site"
)

// passwordForgotSent says what happens next, whether or not the address is an account's.
func (h *Handler) passwordForgotSent(w http.ResponseWriter, r *http.Request) {
	email := h.Sessions.GetString(r.Context(), sessResetSentTo)
	if email == "" {
		http.Redirect(w, r, "/password/forgot", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "site/notice", &site.NoticePage{
		Title: "パスワード再設定用のメールを送信しました",
		Email: email,
		Lines: []string{
			"入力いただいたメールアドレスがアカウントとして登録されている場合、「パスワード再設定用URLのご案内」メールを送信しました。メールに記載のURLを開き、新しいパスワードを設定してください。URLの有効期限は1時間です。",
			"メールが届かない場合は、迷惑メールフォルダをご確認のうえ、入力したメールアドレスに誤りがないかご確認ください。",
			"登録したメールアドレスがご不明の場合は、オンライン資格確認等コールセンター（0800-080-4583）へご連絡ください。",
		},
		Links: []site.NoticeLink{{Href: "/password/forgot", Label: "メールアドレスを入力し直す"}, {Href: "/login", Label: "ログイン画面へ"}},
	})
}
