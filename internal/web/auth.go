package web

import (
	"context"
	"errors"
	"net/http"

	"portal/internal/account"
	"portal/internal/operator"
	"portal/internal/session"
	"portal/internal/web/site"
)

// loadPrincipal puts the signed-in facility or operator into the request context. A
// session whose account changed its password or address elsewhere (session_version bumped)
// is ended here, which is how "every other session ends" works across instances; so is an
// operator's session once the operator changed password or second factor, was disabled,
// or no longer exists.
//
// Every answer to a request whose session holds anything (a signed-in facility or operator,
// an address being registered) is kept out of caches, the browser's back button included:
// it may show what only this user should see.
func (s *Server) loadPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if len(s.Sessions.Keys(ctx)) > 0 {
			w.Header().Set("Cache-Control", "no-store")
		}
		if id := s.Sessions.GetInt64(ctx, site.SessOperatorID); id != 0 {
			o, err := s.svc.Operators.ByID(ctx, id)
			switch {
			case errors.Is(err, operator.ErrNotFound) || err == nil &&
				(!o.Active() || o.SessionVersion != s.Sessions.GetInt(ctx, site.SessOperatorVersion)):
				// Gone, disabled, or its password or second factor changed since this
				// session began: the session ends here, on every instance.
				s.Sessions.Remove(ctx, site.SessOperatorID)
				s.Sessions.Remove(ctx, site.SessOperatorVersion)
			case err != nil:
				s.ServerError(w, r, err)
				return
			default:
				ctx = site.WithOperator(ctx, &o)
			}
		}
		accountID := s.Sessions.GetInt64(ctx, site.SessAccountID)
		provisionalID := s.Sessions.GetInt64(ctx, site.SessProvisionalID)
		if accountID == 0 && provisionalID == 0 {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		u, err := s.lookupUser(ctx, accountID, provisionalID)
		if errors.Is(err, account.ErrNotFound) {
			s.DropUser(r)
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if err != nil {
			s.ServerError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(site.WithUser(ctx, u)))
	})
}

func (s *Server) lookupUser(ctx context.Context, accountID, provisionalID int64) (*site.User, error) {
	u := &site.User{}
	var facilityID int64
	if a, f, stamp, ok := session.Loaded(ctx); ok && accountID != 0 && a.ID == accountID {
		// Read with the session itself: no query of its own.
		if a.SessionVersion != s.Sessions.GetInt(ctx, site.SessSessionVersion) {
			return nil, account.ErrNotFound
		}
		u.Account, u.Facility, u.Stamp, u.Stamped = &a, f, stamp, true
		return u, nil
	}
	if accountID != 0 {
		a, err := s.svc.Accounts.ByID(ctx, accountID)
		if err != nil {
			return nil, err
		}
		if a.SessionVersion != s.Sessions.GetInt(ctx, site.SessSessionVersion) {
			return nil, account.ErrNotFound
		}
		u.Account, facilityID = &a, a.FacilityID
	} else {
		c, err := s.svc.Accounts.Provisional(ctx, provisionalID)
		if err != nil {
			return nil, err
		}
		u.Provisional, facilityID = &c, c.FacilityID
	}
	f, err := s.svc.Accounts.Facility(ctx, facilityID)
	if err != nil {
		return nil, err
	}
	u.Facility = f
	return u, nil
}
