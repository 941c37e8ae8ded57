package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"portal/internal/account"
	"portal/internal/web/site"
)

// Probe routes for the tests of the sign-in guards, present only in this package's test
// binary: a page behind RequireAccount, and a facility sign-in through StartSession, so the
// tests do not depend on the facility login pages of another area.
func init() {
	testRoutes = func(s *Server, r chi.Router) {
		r.With(site.RequireAccount).Get("/test/account-only", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("account page of " + site.CurrentUser(r).DisplayName()))
		})
		r.Post("/test/facility-signin", func(w http.ResponseWriter, r *http.Request) {
			id, _ := strconv.ParseInt(r.PostFormValue("account_id"), 10, 64)
			a, err := s.svc.Accounts.ByID(r.Context(), id)
			if err != nil {
				s.ServerError(w, r, err)
				return
			}
			p := account.Principal{AccountID: a.ID, FacilityID: a.FacilityID, SessionVersion: a.SessionVersion}
			if err := s.StartSession(r, p); err != nil {
				s.ServerError(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
	}
}
