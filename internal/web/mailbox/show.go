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
	mails, pg, ok := site.ListPage(h.Site, w, r, devMailboxPerPage, h.mailbox.List)
	if !ok {
		return
	}
	for i := range mails {
		mails[i].ReceivedAt = mails[i].ReceivedAt.In(jp.Zone)
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, http.StatusOK, "mailbox/show", &devMailboxPage{Mails: mails, Pager: pg})
}
