package web

import (
	"net/http"
	"strconv"

	"portal/internal/mail"
)

// devMailboxPerPage is the page size of /dev/mailbox.
const devMailboxPerPage = 20

type devMailboxPage struct {
	Base
	Mails      []mail.CaughtMail
	Page       int
	TotalPages int
	Total      int
}

// PrevPage and NextPage are 0 when there is no such page.
func (p *devMailboxPage) PrevPage() int {
	if p.Page > 1 {
		return p.Page - 1
	}
	return 0
}

func (p *devMailboxPage) NextPage() int {
	if p.Page < p.TotalPages {
		return p.Page + 1
	}
	return 0
}

// devMailboxShow lists the mails the development catcher received, newest first (?page=N).
func (s *Server) devMailboxShow(w http.ResponseWriter, r *http.Request) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000000 {
			s.errorStatus(w, r, http.StatusNotFound)
			return
		}
		page = n
	}
	mails, total, err := mail.ListCaught(r.Context(), s.db, devMailboxPerPage, (page-1)*devMailboxPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pages := max(1, (total+devMailboxPerPage-1)/devMailboxPerPage)
	if page > pages {
		s.errorStatus(w, r, http.StatusNotFound)
		return
	}
	for i := range mails {
		mails[i].ReceivedAt = mails[i].ReceivedAt.In(jst)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "dev_mailbox", &devMailboxPage{Mails: mails, Page: page, TotalPages: pages, Total: total})
}
