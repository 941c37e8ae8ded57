package account

import (
	"net/http"
	"portal/internal/web/site"
)

// passwordChangeDone is the completion page of the password change.
func (h *Handler) passwordChangeDone(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "site/notice", &site.NoticePage{
		Title: "パスワードの変更が完了しました",
		Lines: []string{
			"次回から新しいパスワードでログインしてください。ほかの端末やブラウザでのログインは終了しました。",
			"登録されたメールアドレスあてに「パスワード変更完了のお知らせ」を送信しました。",
		},
		Links: []site.NoticeLink{{Href: "/mypage", Label: "マイページへ", Primary: true}},
	})
}
