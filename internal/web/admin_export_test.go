package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
)

// Probe routes for the tests of the sign-in guards, present only in this package's test
// binary: a page behind requireAccount, and a facility sign-in through startSession, so the
// tests do not depend on the facility login pages of another area.
func init() {
	testRoutes = func(s *Server, r chi.Router) {
		r.With(s.requireAccount).Get("/test/account-only", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("account page of " + currentUser(r).DisplayName()))
		})
		r.Post("/test/facility-signin", func(w http.ResponseWriter, r *http.Request) {
			id, _ := strconv.ParseInt(r.PostFormValue("account_id"), 10, 64)
			a, err := account.ByID(r.Context(), s.db, id)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			p := account.Principal{AccountID: a.ID, FacilityID: a.FacilityID, SessionVersion: a.SessionVersion}
			if err := s.startSession(r, p); err != nil {
				s.serverError(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
	}
}
