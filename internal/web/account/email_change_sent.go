package account

import (
	"net/http"
	"portal/internal/web/site"
)

// emailChangeSent says that the confirmation link went to the new address.
func (h *Handler) emailChangeSent(w http.ResponseWriter, r *http.Request) {
	to := h.Sessions.GetString(r.Context(), sessEmailChangeTo)
	if to == "" {
		http.Redirect(w, r, "/account/email", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "site/notice", &site.NoticePage{
		Title: "確認メールを送信しました",
		Email: to,
		Lines: []string{
			"新しいメールアドレスあてに「メールアドレス変更確認用URLのご案内」メールを送信しました。メールに記載のURLを開くと、メールアドレスの変更が確定します。URLの有効期限は24時間です。",
			"変更が確定するまでは、現在のメールアドレスでログインしてください。",
		},
		Links: []site.NoticeLink{{Href: "/mypage", Label: "マイページへ", Primary: true}},
	})
}
