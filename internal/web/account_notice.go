package web

import (
	"net/http"
	"time"
)

// noticePage is the simple page that ends or interrupts the mailed-link flows (仮登録メール
// 送信, 登録完了, 再設定完了, an invalid link…): a heading, paragraphs and onward links.
type noticePage struct {
	Base
	Title string
	// Lines are the paragraphs, plain text.
	Lines []string
	// Email, when set, is shown as the address concerned.
	Email string
	Links []noticeLink
}

type noticeLink struct {
	Href, Label string
	Primary     bool
}

// linkInvalid answers a mailed link that is unknown, used or expired; again is where a new
// one is asked for. 410 Gone: the link will not work again.
func (s *Server) linkInvalid(w http.ResponseWriter, r *http.Request, again, againLabel string) {
	s.render(w, r, http.StatusGone, "account_notice", &noticePage{
		Title: "このURLは無効です",
		Lines: []string{
			"URLの有効期限が切れているか、すでに使用されたURLです。",
			"お手数ですが、もう一度はじめから手続きを行ってください。",
		},
		Links: []noticeLink{{Href: again, Label: againLabel, Primary: true}, {Href: "/", Label: "トップページへ"}},
	})
}

// japanTime is Japan Standard Time; Japan has no daylight saving, so a fixed zone is exact
// and needs no tzdata in the image.
var japanTime = time.FixedZone("JST", 9*60*60)

// mailTime formats t for a mail, in Japan time.
func mailTime(t time.Time) string { return t.In(japanTime).Format("2006年1月2日 15時04分") }
