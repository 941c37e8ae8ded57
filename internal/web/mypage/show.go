// Package mypage is マイページ: the facility as the master knows it, the account, each
// application's place in the introduction schedule with its history, and the documents
// addressed to the facility.
package mypage

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/document"
	"portal/internal/inquiry"
	"portal/internal/mypage"
	"portal/internal/web/site"
)

// Handler serves マイページ.
type Handler struct {
	*site.Site
	accounts  *account.Service
	reader    *mypage.Service
	documents *document.Service
}

// New returns マイページ over its reader (internal/mypage).
func New(s *site.Site, accounts *account.Service, reader *mypage.Service, documents *document.Service) *Handler {
	return &Handler{Site: s, accounts: accounts, reader: reader, documents: documents}
}

// Mount registers the routes (inside the signed-in facility group).
func (h *Handler) Mount(r chi.Router) {
	r.Get("/mypage", h.CachedPage(h.show))
	r.Get("/mypage/messages/{id}", h.messageShow)
	r.Get("/mypage/messages/{id}/file", h.messageFile)
}

// inquiriesShown is how many of its latest inquiries マイページ lists.
const inquiriesShown = 3

// messagesShown is how many messages マイページ lists.
const messagesShown = 20

// Section is one application's place on マイページ.
type Section struct {
	site.Application
	application.Overview
}

// Badge is the word beside the status: 完了 when finished, 手続き中 while the fund or a
// maker works on it.
func (s Section) Badge() string {
	switch s.State {
	case application.Done:
		return "完了"
	case application.InProgress:
		return "手続き中"
	}
	return ""
}

type showPage struct {
	site.Base
	Facility account.Facility
	Account  *account.Account
	Sections []Section
	// Next is the first application whose form is open and not yet sent: the next step of
	// the schedule.
	Next     *Section
	Messages []account.Message
	// Inquiries are the facility's latest cases (問い合わせ).
	Inquiries []inquiry.Inquiry
}

// show is マイページ.
func (h *Handler) show(w http.ResponseWriter, r *http.Request) {
	u := site.CurrentUser(r)
	data, err := h.reader.Read(r.Context(), u.Facility, messagesShown, inquiriesShown)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page := &showPage{Facility: u.Facility, Account: u.Account, Messages: data.Messages, Inquiries: data.Inquiries}
	for _, a := range site.Applications {
		sec := Section{Application: a, Overview: application.Overview{Status: "準備中", State: application.Waiting}}
		if ov, ok := data.Overviews[a.Kind]; ok {
			sec.Overview = ov
		}
		page.Sections = append(page.Sections, sec)
	}
	for i := range page.Sections {
		if sec := &page.Sections[i]; sec.State == application.Todo && sec.Href != "" {
			page.Next = sec
			break
		}
	}
	h.Render(w, r, http.StatusOK, "mypage/show", page)
}
