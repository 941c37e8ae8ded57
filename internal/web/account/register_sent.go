package account

import (
	"net/http"
	"portal/internal/web/site"
)

// registerSent confirms that the mail is on its way, with what to do when it does not come.
func (h *Handler) registerSent(w http.ResponseWriter, r *http.Request) {
	email := h.Sessions.GetString(r.Context(), sessRegisterSentTo)
	if email == "" {
		http.Redirect(w, r, "/register", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "site/notice", &site.NoticePage{
		Title: "仮登録メールを送信しました",
		Email: email,
		Lines: []string{
			"入力いただいたメールアドレスあてに「医療機関等向けポータルサイトアカウント登録用URLのご案内」メールを送信しました。メールに記載のURLを開き、アカウント登録の手続きを進めてください。URLの有効期限は24時間です。",
			"メールが届かない場合は、迷惑メールフォルダをご確認ください。ドメイン（@より後ろ）指定受信などの設定をされている場合は、ドメイン「shinsei.iryohokenjyoho-portalsite.jp」を許可するように設定してください。",
			"メールアドレスを誤って入力した場合は、もう一度正しいメールアドレスを入力して送信してください。",
		},
		Links: []site.NoticeLink{{Href: "/register", Label: "メールアドレスを入力し直す"}, {Href: "/", Label: "トップページへ"}},
	})
}
