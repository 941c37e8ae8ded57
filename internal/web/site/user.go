package site

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"portal/internal/account"
	"portal/internal/session"
)

// Session keys of the signed-in principal. One session is a facility or an operator,
// never both: starting either drops the other's keys.
const (
	SessAccountID      = session.KeyAccountID
	SessProvisionalID  = "provisional_id"
	SessSessionVersion = "session_version"
	SessOperatorID     = "operator_id"
)

// User is who a facility request belongs to: an account, or a provisional credential whose
// only reachable page is the forced account edit.
type User struct {
	Account     *account.Account               // nil for a provisional sign-in
	Provisional *account.ProvisionalCredential // nil for an account
	Facility    account.Facility
	// Stamp is the page stamp read with the session; Stamped is false when the user was
	// read without it, and then no page comes from the page cache (CachedPage).
	Stamp   session.Stamp
	Stamped bool
}

// DisplayName is shown in the header.
func (u *User) DisplayName() string {
	if u.Account != nil {
		return u.Account.FacilityName
	}
	return u.Facility.Name
}

type userKey struct{}

// WithUser puts the signed-in facility into the request context (the router's principal
// middleware).
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// CurrentUser returns the signed-in facility of the request, or nil.
func CurrentUser(r *http.Request) *User {
	u, _ := r.Context().Value(userKey{}).(*User)
	return u
}

// StartSession signs the principal in on a fresh session token (no session fixation).
// What the session held for another facility or an operator (drafts waiting on a confirm
// page, receipts) goes: a token renewal keeps the data, and a login page left open in
// another tab would hand it to the next facility.
func (s *Site) StartSession(r *http.Request, p account.Principal) error {
	ctx := r.Context()
	if u := CurrentUser(r); (u != nil && u.Facility.ID != p.FacilityID) || CurrentOperator(r) != nil {
		if err := s.Sessions.Clear(ctx); err != nil {
			return err
		}
	}
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.Sessions.Remove(ctx, SessAccountID)
	s.Sessions.Remove(ctx, SessProvisionalID)
	s.Sessions.Remove(ctx, SessOperatorID)
	if p.Provisional() {
		s.Sessions.Put(ctx, SessProvisionalID, p.ProvisionalID)
	} else {
		s.Sessions.Put(ctx, SessAccountID, p.AccountID)
		s.Sessions.Put(ctx, SessSessionVersion, p.SessionVersion)
	}
	return nil
}

// KeepSession records a new session version in the current session after the account
// ended its other sessions (password or address change), so this one stays signed in.
func (s *Site) KeepSession(r *http.Request, version int) error {
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.Sessions.Put(r.Context(), SessSessionVersion, version)
	return nil
}

// EndSession signs out: the session's data is dropped and its token renewed.
func (s *Site) EndSession(r *http.Request) error { return s.Sessions.Destroy(r.Context()) }

// DropUser forgets the facility principal of the session.
func (s *Site) DropUser(r *http.Request) {
	ctx := r.Context()
	s.Sessions.Remove(ctx, SessAccountID)
	s.Sessions.Remove(ctx, SessProvisionalID)
	s.Sessions.Remove(ctx, SessSessionVersion)
}

// ProvisionalEditPath is the forced account edit after a provisional sign-in.
const ProvisionalEditPath = "/account/setup"

// NoStore keeps a page out of every cache, the browser's back button included: signed-in
// and back-office pages carry personal data.
func NoStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// RequireAccount lets only signed-in facilities through. Visitors go to the login page and
// come back afterwards; a provisional sign-in is led to the forced account edit, the only
// page it may use until that is done.
func RequireAccount(next http.Handler) http.Handler {
	return NoStore(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := CurrentUser(r)
		switch {
		case u == nil:
			http.Redirect(w, r, "/login?next="+url.QueryEscape(LoginNext(r)), http.StatusSeeOther)
		case u.Account == nil:
			http.Redirect(w, r, ProvisionalEditPath, http.StatusSeeOther)
		default:
			next.ServeHTTP(w, r)
		}
	}))
}

// RequireProvisional lets only a provisional sign-in through (the forced account edit).
func RequireProvisional(next http.Handler) http.Handler {
	return NoStore(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := CurrentUser(r)
		switch {
		case u == nil:
			http.Redirect(w, r, "/login", http.StatusSeeOther)
		case u.Account != nil:
			http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		default:
			next.ServeHTTP(w, r)
		}
	}))
}

// maxNext bounds the page a sign-in returns to: a Location header never carries more.
const maxNext = 512

// LoginNext is where the login page should return to after signing in: the page asked for
// on a GET, bounded; the page itself for anything else would repost, so it is dropped.
func LoginNext(r *http.Request) string {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet || len(next) > maxNext {
		return r.URL.Path
	}
	return next
}

// SafeNext returns next when it is a local path of sensible length, else "/mypage": no
// open redirects. Control characters are refused too: browsers drop tabs and newlines
// from a Location, so "/\t/evil.example" would lead to //evil.example.
func SafeNext(next string) string {
	if next == "" || len(next) > maxNext || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return "/mypage"
	}
	return next
}
