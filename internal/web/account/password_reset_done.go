package account

import (
	"net/http"
	"portal/internal/web/site"
)

// passwordResetDone is the completion page of the reset.
func (h *Handler) passwordResetDone(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "site/notice", &site.NoticePage{
		Title: "パスワードの再設定が完了しました",
		Lines: []string{
			"新しいパスワードでログインしてください。",
			"ほかの端末やブラウザでのログインは終了しました。登録されたメールアドレスあてに「パスワード変更完了のお知らせ」を送信しました。",
		},
		Links: []site.NoticeLink{{Href: "/login", Label: "ログイン画面へ", Primary: true}},
	})
}
