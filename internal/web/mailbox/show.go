package mailbox

import (
	"net/http"

	"portal/internal/jp"
	"portal/internal/mail"
	"portal/internal/web/site"
)

// devMailboxPerPage is the page size of /dev/mailbox.
const devMailboxPerPage = 20

type devMailboxPage struct {
	site.Base
	site.Pager
	Mails []mail.CaughtMail
}

// show lists the mails the development catcher received, newest first (?page=N).
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	page, ok := site.PageParam(r)
	if !ok {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	mails, total, err := h.mailbox.List(r.Context(), devMailboxPerPage, (page-1)*devMailboxPerPage)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	pg, ok := site.NewPager(page, total, devMailboxPerPage)
	if !ok {
		h.Error(w, r, http.StatusNotFound)
		return
	}
	for i := range mails {
		mails[i].ReceivedAt = mails[i].ReceivedAt.In(jp.Zone)
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, http.StatusOK, "mailbox/show", &devMailboxPage{Mails: mails, Pager: pg})
}
