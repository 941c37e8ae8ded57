// Package outbox is メール送信状況 in the back office: every mail with its state, attempts,
// times and the server's answer, filtered by state, address, facility, template and period
// (keyset pages, a capped count), one mail with its delivery history and text, and the
// operators' 再試行 of a failed mail and 再送 of a sent one, each confirmed on its own page.
package outbox

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/mail"
	"portal/internal/outbox"
	"portal/internal/web/site"
)

// ListPath is the outbox list.
const ListPath = "/admin/mails"

// Handler serves the outbox pages.
type Handler struct {
	*site.Site
	outbox *outbox.Service
}

// New returns the outbox pages.
func New(s *site.Site, o *outbox.Service) *Handler { return &Handler{Site: s, outbox: o} }

// Mount registers the routes (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get(ListPath, h.list)
	r.Get(ListPath+"/{id}", h.show)
	for _, s := range steps {
		r.Get(ListPath+"/{id}/"+s.slug, h.confirm(s))
		r.Post(ListPath+"/{id}/"+s.slug, h.submit(s))
	}
}

// mailID reads {id} of the route; 0 when it is not a positive number.
func mailID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// Japanese messages of the mail package's errors.
var errorMessages = []struct {
	err error
	msg string
}{
	{mail.ErrBadFilter, "この条件では絞り込めません。宛先の前方一致は3文字以上で、期間は開始日を終了日以前にしてください。"},
	{mail.ErrBadCursor, "ページの位置を読み取れませんでした。最新のページから表示し直してください。"},
	{mail.ErrNotFailed, "このメールは送信失敗の状態ではないため、再試行できません。ほかの操作者が既に再試行した可能性があります。"},
	{mail.ErrNotSent, "このメールは送信済ではないため、再送できません。"},
	{mail.ErrBodyPruned, "本文は保存期間を過ぎたため削除されました。このメールを再び送ることはできません。"},
	{mail.ErrCopyPending, "このメールの再送分がまだ送信待ちです。送信が終わってから、もう一度お試しください。"},
	{mail.ErrNoMail, "このメールは見つかりません。"},
}

// Message is the Japanese message for an error of package mail, or "" for any other.
func Message(err error) string {
	for _, m := range errorMessages {
		if errors.Is(err, m.err) {
			return m.msg
		}
	}
	return ""
}
