package account

import (
	"net/http"
	"portal/internal/web/site"
)

// emailChangeDone is the completion page of the e-mail change.
func (h *Handler) emailChangeDone(w http.ResponseWriter, r *http.Request) {
	page := &site.NoticePage{
		Title: "メールアドレスの変更が完了しました",
		Lines: []string{
			"今後は新しいメールアドレスでログインしてください。ほかの端末やブラウザでのログインは終了しました。",
			"変更前のメールアドレスあてに「メールアドレス変更完了のお知らせ」を送信しました。",
		},
		Links: []site.NoticeLink{{Href: "/login", Label: "ログイン画面へ", Primary: true}},
	}
	if p := site.CurrentUser(r); p != nil && p.Account != nil {
		page.Email = p.Account.Email
		page.Links = []site.NoticeLink{{Href: "/mypage", Label: "マイページへ", Primary: true}}
	}
	h.Render(w, r, http.StatusOK, "site/notice", page)
}
