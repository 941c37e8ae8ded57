package web

import (
	"net/http"

	"portal/internal/mail"
)

// devMailboxPerPage is the page size of /dev/mailbox.
const devMailboxPerPage = 20

type devMailboxPage struct {
	Base
	pager
	Mails []mail.CaughtMail
}

// devMailboxShow lists the mails the development catcher received, newest first (?page=N).
func (s *Server) devMailboxShow(w http.ResponseWriter, r *http.Request) {
	page, ok := pageParam(r)
	if !ok {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	mails, total, err := mail.ListCaught(r.Context(), s.db, devMailboxPerPage, (page-1)*devMailboxPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pg, ok := newPager(page, total, devMailboxPerPage)
	if !ok {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	for i := range mails {
		mails[i].ReceivedAt = mails[i].ReceivedAt.In(jst)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "dev_mailbox", &devMailboxPage{Mails: mails, pager: pg})
}
