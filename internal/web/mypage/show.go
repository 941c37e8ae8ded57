// Package mypage is マイページ: the facility as the master knows it, the account, each
// application's place in the introduction schedule with its history, and the documents
// addressed to the facility.
package mypage

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/document"
	"portal/internal/inquiry"
	"portal/internal/web/site"
)

// Overviewer is an application kind's domain service as マイページ reads it.
type Overviewer interface {
	Overview(ctx context.Context, f account.Facility) (application.Overview, error)
}

// Handler serves マイページ.
type Handler struct {
	*site.Site
	accounts  *account.Service
	inquiries *inquiry.Service
	documents *document.Service
	// kinds maps an application kind's code to its service.
	kinds map[string]Overviewer
}

// New returns マイページ; kinds maps each built application kind's code to its service.
func New(s *site.Site, accounts *account.Service, inquiries *inquiry.Service, documents *document.Service, kinds map[string]Overviewer) *Handler {
	return &Handler{Site: s, accounts: accounts, inquiries: inquiries, documents: documents, kinds: kinds}
}

// Mount registers the routes (inside the signed-in facility group).
func (h *Handler) Mount(r chi.Router) {
	r.Get("/mypage", h.show)
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
	ctx := r.Context()
	page := &showPage{Facility: u.Facility, Account: u.Account}
	for _, a := range site.Applications {
		sec := Section{Application: a, Overview: application.Overview{Status: "準備中", State: application.Waiting}}
		if k, ok := h.kinds[a.Kind]; ok {
			ov, err := k.Overview(ctx, u.Facility)
			if err != nil {
				h.ServerError(w, r, err)
				return
			}
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
	msgs, err := h.accounts.Messages(ctx, u.Facility.ID, messagesShown)
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	page.Messages = msgs
	if page.Inquiries, err = h.inquiries.FacilityCases(ctx, u.Facility.ID, inquiriesShown); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "mypage/show", page)
}
