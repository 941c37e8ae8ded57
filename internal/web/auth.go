package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"portal/internal/account"
)

// Session keys of the signed-in principal.
const (
	sessAccountID      = "account_id"
	sessProvisionalID  = "provisional_id"
	sessSessionVersion = "session_version"
)

// principalKey is the context key of the request's *signedIn.
type principalKey struct{}

// signedIn is who the request belongs to: an account, or a provisional credential whose
// only reachable page is the forced account edit.
type signedIn struct {
	Account     *account.Account               // nil for a provisional sign-in
	Provisional *account.ProvisionalCredential // nil for an account
	Facility    account.Facility
}

// DisplayName is shown in the header.
func (p *signedIn) DisplayName() string {
	if p.Account != nil {
		return p.Account.FacilityName
	}
	return p.Facility.Name
}

// currentUser returns the signed-in principal of the request, or nil.
func currentUser(r *http.Request) *signedIn {
	p, _ := r.Context().Value(principalKey{}).(*signedIn)
	return p
}

// loadPrincipal puts the signed-in principal into the request context. A session whose
// account changed its password or address elsewhere (session_version bumped) is ended here,
// which is how "every other session ends" works across instances.
//
// Every answer to a request whose session holds anything (a signed-in facility or operator,
// an address being registered) is kept out of caches, the browser's back button included:
// it may show what only this user should see.
func (s *Server) loadPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if len(s.sessions.Keys(ctx)) > 0 {
			w.Header().Set("Cache-Control", "no-store")
		}
		accountID := s.sessions.GetInt64(ctx, sessAccountID)
		provisionalID := s.sessions.GetInt64(ctx, sessProvisionalID)
		if accountID == 0 && provisionalID == 0 {
			next.ServeHTTP(w, r)
			return
		}
		p, err := s.lookupPrincipal(ctx, accountID, provisionalID)
		if errors.Is(err, account.ErrNotFound) {
			s.dropPrincipal(r)
			next.ServeHTTP(w, r)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, principalKey{}, p)))
	})
}

func (s *Server) lookupPrincipal(ctx context.Context, accountID, provisionalID int64) (*signedIn, error) {
	p := &signedIn{}
	var facilityID int64
	if accountID != 0 {
		a, err := account.ByID(ctx, s.db, accountID)
		if err != nil {
			return nil, err
		}
		if a.SessionVersion != s.sessions.GetInt(ctx, sessSessionVersion) {
			return nil, account.ErrNotFound
		}
		p.Account, facilityID = &a, a.FacilityID
	} else {
		c, err := account.ProvisionalByID(ctx, s.db, provisionalID)
		if err != nil {
			return nil, err
		}
		p.Provisional, facilityID = &c, c.FacilityID
	}
	f, err := account.FacilityByID(ctx, s.db, facilityID)
	if err != nil {
		return nil, err
	}
	p.Facility = f
	return p, nil
}

// startSession signs the principal in on a fresh session token (no session fixation).
func (s *Server) startSession(r *http.Request, p account.Principal) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessAccountID)
	s.sessions.Remove(ctx, sessProvisionalID)
	s.sessions.Remove(ctx, sessOperatorID) // a session is a facility or an operator, never both
	if p.Provisional() {
		s.sessions.Put(ctx, sessProvisionalID, p.ProvisionalID)
	} else {
		s.sessions.Put(ctx, sessAccountID, p.AccountID)
		s.sessions.Put(ctx, sessSessionVersion, p.SessionVersion)
	}
	return nil
}

// keepSession records a new session version in the current session after the account
// ended its other sessions (password or address change), so this one stays signed in.
func (s *Server) keepSession(r *http.Request, version int) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessSessionVersion, version)
	return nil
}

// endSession signs out: the session's data is dropped and its token renewed.
func (s *Server) endSession(r *http.Request) error {
	return s.sessions.Destroy(r.Context())
}

func (s *Server) dropPrincipal(r *http.Request) {
	ctx := r.Context()
	s.sessions.Remove(ctx, sessAccountID)
	s.sessions.Remove(ctx, sessProvisionalID)
	s.sessions.Remove(ctx, sessSessionVersion)
}

// requireAccount lets only signed-in facilities through. Visitors go to the login page and
// come back afterwards; a provisional sign-in is led to the forced account edit, the only
// page it may use until that is done.
func (s *Server) requireAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := currentUser(r)
		switch {
		case p == nil:
			http.Redirect(w, r, withNext("/login", r), http.StatusSeeOther)
		case p.Account == nil:
			http.Redirect(w, r, provisionalEditPath, http.StatusSeeOther)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// requireProvisional lets only a provisional sign-in through (the forced account edit).
func (s *Server) requireProvisional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := currentUser(r)
		switch {
		case p == nil:
			http.Redirect(w, r, "/login", http.StatusSeeOther)
		case p.Account != nil:
			http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// provisionalEditPath is the forced account edit after a provisional sign-in.
const provisionalEditPath = "/account/setup"

// maxNextBytes bounds the "next" a sign-in page carries and redirects to, so no Location
// header grows with what a client sent.
const maxNextBytes = 2048

// safeNext returns next when it is a local path of bounded length, else "/mypage": no open
// redirects and no unbounded Location. Control characters are refused too: browsers drop
// tabs and newlines from a Location, so "/\t/evil.example" would lead to //evil.example.
func safeNext(next string) string {
	if next == "" || len(next) > maxNextBytes || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return "/mypage"
	}
	return next
}

// withNext is the sign-in page at login with "next" set to the page r asked for, so the
// user comes back to it; a target too long for maxNextBytes is cut to its path, or dropped.
func withNext(login string, r *http.Request) string {
	for _, target := range []string{r.URL.RequestURI(), r.URL.EscapedPath()} {
		if q := url.QueryEscape(target); len(q) <= maxNextBytes {
			return login + "?next=" + q
		}
	}
	return login
}
