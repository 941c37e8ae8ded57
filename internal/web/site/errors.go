package site

import (
	"net/http"
)

// ErrorPage is the data of the 4xx and 5xx pages.
type ErrorPage struct {
	Base
	Status  int
	Heading string
	Message string
}

var errorTexts = map[int][2]string{
	http.StatusBadRequest:            {"リクエストを処理できませんでした", "送信された内容を読み取れませんでした。お手数ですが、入力画面からやり直してください。"},
	http.StatusForbidden:             {"この操作は受け付けられませんでした", "画面の有効期限が切れたか、別の画面から送信された可能性があります。お手数ですが、画面を開き直してからもう一度お試しください。"},
	http.StatusNotFound:              {"お探しのページが見つかりません", "お探しのページは移動または削除されたか、URLが間違っている可能性があります。"},
	http.StatusMethodNotAllowed:      {"この操作は受け付けられませんでした", "この画面ではその操作を行えません。"},
	http.StatusRequestEntityTooLarge: {"送信された内容が大きすぎます", "送信できる大きさを超えています。内容を減らしてもう一度お試しください。"},
	http.StatusInternalServerError:   {"システムエラーが発生しました", "申し訳ございません。時間をおいてもう一度お試しください。解決しない場合はコールセンターまでご連絡ください。"},
}

// Error renders the Japanese error page for status.
func (s *Site) Error(w http.ResponseWriter, r *http.Request, status int) {
	t, ok := errorTexts[status]
	if !ok {
		t = errorTexts[http.StatusInternalServerError]
	}
	s.Render(w, r, status, "site/error", &ErrorPage{Status: status, Heading: t[0], Message: t[1]})
}

// NotFound renders the 404 page.
func (s *Site) NotFound(w http.ResponseWriter, r *http.Request) { s.Error(w, r, http.StatusNotFound) }

// ServerError logs err with the request ID and shows the 500 page. It renders without the
// session (which may be what failed).
func (s *Site) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.ErrorContext(r.Context(), "request failed", RequestAttrs(r), ErrAttr(err))
	body, rerr := s.Pages.Render("site/error", &ErrorPage{Status: 500, Heading: errorTexts[500][0], Message: errorTexts[500][1]})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	if rerr != nil {
		_, _ = w.Write([]byte("<!doctype html><meta charset=utf-8><title>システムエラー</title><h1>システムエラーが発生しました</h1>"))
		return
	}
	_, _ = w.Write(body)
}
