package site

import "net/http"

// NoticePage is the simple page that ends or interrupts a flow (仮登録メール送信, 登録完了,
// 再設定完了, an invalid link, a closed form…): a heading, paragraphs and onward links.
type NoticePage struct {
	Base
	Title string
	// Lines are the paragraphs, plain text.
	Lines []string
	// Email, when set, is shown as the address concerned.
	Email string
	Links []NoticeLink
}

// NoticeLink is one onward link of a notice page.
type NoticeLink struct {
	Href, Label string
	Primary     bool
}

// Notice renders a notice page with status.
func (s *Site) Notice(w http.ResponseWriter, r *http.Request, status int, page *NoticePage) {
	s.Render(w, r, status, "site/notice", page)
}

// LinkInvalid answers a mailed link that is unknown, used or expired; again is where a new
// one is asked for. 410 Gone: the link will not work again.
func (s *Site) LinkInvalid(w http.ResponseWriter, r *http.Request, again, againLabel string) {
	s.Notice(w, r, http.StatusGone, &NoticePage{
		Title: "このURLは無効です",
		Lines: []string{
			"URLの有効期限が切れているか、すでに使用されたURLです。",
			"お手数ですが、もう一度はじめから手続きを行ってください。",
		},
		Links: []NoticeLink{{Href: again, Label: againLabel, Primary: true}, {Href: "/", Label: "トップページへ"}},
	})
}
