package site

import (
	"errors"
	"net/http"
	"portal/internal/application"
)

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

// AfterStep answers the result of a domain step taken from a page: back to where it leads
// with a notice of what was done; the same with a notice that the status no longer allows
// the step (someone else may have been quicker); 404 for a record that is not there (or not
// the facility's); 500 for anything else.
func (s *Site) AfterStep(w http.ResponseWriter, r *http.Request, err error, back, done string) {
	switch {
	case errors.Is(err, application.ErrNotFound):
		s.NotFound(w, r)
		return
	case errors.Is(err, application.ErrNotAllowed):
		s.Flash(r, "現在の状態では、その操作はできません。ほかの方が先に手続きした可能性があります。画面の内容をご確認ください。")
	case err != nil:
		s.ServerError(w, r, err)
		return
	default:
		s.Flash(r, done)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
