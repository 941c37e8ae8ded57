package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"portal/internal/outage"
	"portal/internal/ratelimit"
	"strconv"
	"time"
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
	http.StatusRequestURITooLong:     {"URLが長すぎます", "URLが長すぎるため、ページを表示できません。トップページから目的のページを開き直してください。"},
	http.StatusTooManyRequests:       {"ただいま受け付けを一時停止しています", "短い時間に多くのお申込みがあったため、受け付けを一時停止しています。しばらく時間をおいてから、もう一度お試しください。"},
	http.StatusServiceUnavailable:    {"ただいまご利用いただけません", "ただいまシステムが混み合っているか、メンテナンス中のため、ページを表示できません。しばらく時間をおいてから、もう一度お試しください。"},
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

// ServerError logs err with the request ID and shows the 500 page. Two failures are not
// the portal's fault and are told apart: the database away answers 503 with Retry-After,
// and a client that went away gets nothing and no error in the log.
func (s *Site) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	if s.notOurFault(w, r, err) {
		return
	}
	s.Log.ErrorContext(r.Context(), "request failed", RequestAttrs(r), ErrAttr(err))
	s.PlainError(w, http.StatusInternalServerError)
}

// PlainError writes the error page for status without touching the session, which may not
// be loaded (or its store may be what failed).
func (s *Site) PlainError(w http.ResponseWriter, status int) {
	t, ok := errorTexts[status]
	if !ok {
		t = errorTexts[http.StatusInternalServerError]
	}
	body, rerr := s.Pages.Render("site/error", &ErrorPage{Status: status, Heading: t[0], Message: t[1]})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if rerr != nil {
		_, _ = w.Write([]byte("<!doctype html><meta charset=utf-8><title>エラー</title><h1>" + t[0] + "</h1>"))
		return
	}
	_, _ = w.Write(body)
}

// StatusClientClosed is what the access log shows for a client that went away before its
// answer (nginx's 499): not an error of the portal.
const StatusClientClosed = 499

// retryAfterOutage is the Retry-After of the 503 page: PostgreSQL restarts in seconds, and
// the pool reconnects by itself.
const retryAfterOutage = 5 * time.Second

// notOurFault answers err when it is not a bug: the client went away (nothing to answer,
// logged at debug) or the database is away (503 with Retry-After, logged as a warning). It
// reports whether it answered.
func (s *Site) notOurFault(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case r.Context().Err() != nil && errors.Is(err, context.Canceled):
		s.Log.DebugContext(r.Context(), "client went away", RequestAttrs(r))
		w.WriteHeader(StatusClientClosed)
		return true
	case outage.Is(err):
		s.Log.WarnContext(r.Context(), "database unavailable", RequestAttrs(r), ErrAttr(err))
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfterOutage/time.Second)))
		s.PlainError(w, http.StatusServiceUnavailable)
		return true
	}
	return false
}

// Limited answers a request refused by a rate limit with the 429 page and Retry-After, and
// reports whether err was such a refusal. Forms that can say it beside the field check
// errors.Is(err, ratelimit.ErrLimited) themselves.
func (s *Site) Limited(w http.ResponseWriter, r *http.Request, err error) bool {
	var ex *ratelimit.Exceeded
	if !errors.As(err, &ex) {
		return false
	}
	s.Log.InfoContext(r.Context(), "rate limited", RequestAttrs(r), slog.String("limit", ex.Limit.Name))
	w.Header().Set("Retry-After", strconv.Itoa(int(ex.RetryAfter/time.Second)))
	s.Error(w, r, http.StatusTooManyRequests)
	return true
}

// ExportFailed ends a CSV download whose step failed: with the error page while nothing of
// the file was sent; after that the status is out, so it is logged and the truncated file
// tells the operator.
func (s *Site) ExportFailed(w http.ResponseWriter, r *http.Request, file *CSVFile, err error) {
	if !file.Started() {
		s.ServerError(w, r, err)
		return
	}
	s.Log.ErrorContext(r.Context(), "export failed after its first bytes", RequestAttrs(r), ErrAttr(err))
}
