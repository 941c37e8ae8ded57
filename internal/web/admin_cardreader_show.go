package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
	"portal/internal/cardreader"
	"portal/internal/form"
)

// adminCardReaderShowPage is one application for an operator.
type adminCardReaderShowPage struct {
	AdminBase
	Application cardreader.Application
	Facility    account.Facility
	Account     account.Account
	Summary     cardReaderSummary
	History     []cardreader.Event
	Errors      form.Errors
	DateValue   string
}

// applicationID reads {id} of the route; 0 when it is not a positive number.
func applicationID(r *http.Request) int64 {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// adminCardReaderShow is the application's page: its content, history and the operator's
// next steps (配送予定日, 発送済).
func (s *Server) adminCardReaderShow(w http.ResponseWriter, r *http.Request) {
	page, ok := s.loadAdminCardReader(w, r)
	if !ok {
		return
	}
	s.renderAdmin(w, r, http.StatusOK, "admin_cardreader_show", page)
}

func (s *Server) loadAdminCardReader(w http.ResponseWriter, r *http.Request) (*adminCardReaderShowPage, bool) {
	ctx := r.Context()
	app, err := cardreader.ByID(ctx, s.db, applicationID(r))
	if errors.Is(err, cardreader.ErrNotFound) {
		s.errorStatus(w, r, http.StatusNotFound)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	page := &adminCardReaderShowPage{Application: app}
	if page.Facility, err = account.FacilityByID(ctx, s.db, app.FacilityID); err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	if page.Account, err = account.ByID(ctx, s.db, app.AccountID); err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	catalog, err := cardreader.Catalog(ctx, s.db)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	page.Summary = summarize(app.Input, page.Facility, catalog)
	if page.History, err = cardreader.History(ctx, s.db, app.ID); err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	if app.DeliveryDate != nil {
		page.DateValue = app.DeliveryDate.Format("2006-01-02")
	}
	return page, true
}
