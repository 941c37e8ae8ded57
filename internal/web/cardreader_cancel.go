package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5"

	"portal/internal/cardreader"
	"portal/internal/database"
)

// cardReaderCancelPage asks before cancelling.
type cardReaderCancelPage struct {
	Base
	Application cardreader.Application
	Summary     cardReaderSummary
}

// cardReaderCancelShow is the confirmation 「申込を取り消しますか」.
func (s *Server) cardReaderCancelShow(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	app, err := cardreader.ForFacility(r.Context(), s.db, p.Facility.ID)
	if errors.Is(err, cardreader.ErrNotFound) {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	catalog, err := cardreader.Catalog(r.Context(), s.db)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "cardreader_cancel", &cardReaderCancelPage{Application: app,
		Summary: summarize(app.Input, p.Facility, catalog)})
}

// cardReaderCancelSubmit cancels the facility's own live application; there is no id in the
// request, so no other facility's application can be reached.
func (s *Server) cardReaderCancelSubmit(w http.ResponseWriter, r *http.Request) {
	p := currentUser(r)
	ctx := r.Context()
	var app cardreader.Application
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if app, err = cardreader.Cancel(ctx, tx, p.Facility.ID, p.Account.ID); err != nil {
			return err
		}
		return s.mailCardReaderOutcome(ctx, tx, p, app, cardreader.Cancelled)
	})
	switch {
	case errors.Is(err, cardreader.ErrNothingToCancel):
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	case errors.Is(err, cardreader.ErrLocked):
		s.sessions.Put(ctx, "flash", "配送予定日が決定しているため、申込内容の変更・取消はできません。コールセンターへお問い合わせください。")
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(ctx, sessCardReaderPending)
	s.sessions.Put(ctx, sessCardReaderDone, app.Reference+"|"+strconv.Itoa(int(cardreader.Cancelled)))
	http.Redirect(w, r, "/cardreader/complete", http.StatusSeeOther)
}
