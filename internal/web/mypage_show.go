package web

import (
	"net/http"

	"portal/internal/account"
)

// mypageMessages is how many messages マイページ lists.
const mypageMessages = 20

// mypageSection is one application's place on マイページ.
type mypageSection struct {
	Number int
	Title  string
	// Status is 未申請, 準備中 (the form is not open yet) or what the area reports (受付済…).
	Status string
	// Href is the form or the application's page; empty while the form is closed.
	Href string
	// Done marks the step finished in the introduction schedule.
	Done bool
	// Note is an optional line under the status (a date, a reference number).
	Note string
	// Details are further lines: what was applied for and the application's history.
	Details []string
}

// mypageSectionProviders fill the section of an application whose area is built, keyed by
// its Number in applications. An area sets its provider in an init function of its own
// file; without one the section reads 未申請 (form open) or 準備中.
var mypageSectionProviders = map[int]func(s *Server, r *http.Request, p *signedIn) (mypageSection, error){}

// mypagePage is マイページ.
type mypagePage struct {
	Base
	Facility account.Facility
	Account  *account.Account
	Sections []mypageSection
	// Next is the first application not done yet, the next step of the schedule.
	Next     *mypageSection
	Messages []account.Message
}

// mypageShow is マイページ: the facility as the master knows it, the account, each
// application's place, and the documents addressed to this facility, newest first.
func (s *Server) mypageShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	page := &mypagePage{Facility: p.Facility, Account: p.Account}
	for _, a := range applications {
		sec := mypageSection{Number: a.Number, Title: a.Title, Href: a.Href, Status: "準備中"}
		if a.Href != "" {
			sec.Status = "未申請"
		}
		if provide, ok := mypageSectionProviders[a.Number]; ok {
			got, err := provide(s, r, p)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			got.Number = a.Number
			if got.Title == "" {
				got.Title = a.Title
			}
			sec = got
		}
		page.Sections = append(page.Sections, sec)
	}
	for i := range page.Sections {
		if sec := &page.Sections[i]; !sec.Done && sec.Href != "" {
			page.Next = sec
			break
		}
	}
	msgs, err := account.MessagesFor(r.Context(), s.db, p.Facility.ID, mypageMessages)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Messages = msgs
	s.render(w, r, http.StatusOK, "mypage", page)
}
