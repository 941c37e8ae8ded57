package site

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"portal/internal/operator"
)

// Back-office paths other code refers to.
const (
	AdminHomePath  = "/admin"
	AdminLoginPath = "/admin/login"
	// AdminPasswordPath is the operator's own password change, the only page (with the
	// sign-out) open while a temporary password must be replaced.
	AdminPasswordPath = "/admin/password"
	adminLogoutPath   = "/admin/logout"
)

// SessOperatorVersion is the operator's session version when the session started; the
// principal middleware ends a session whose operator has moved on (password or factor
// changed, disabled).
const SessOperatorVersion = "operator_session_version"

type operatorKey struct{}

// WithOperator puts the signed-in operator into the request context (the router's
// principal middleware).
func WithOperator(ctx context.Context, o *operator.Operator) context.Context {
	return context.WithValue(ctx, operatorKey{}, o)
}

// CurrentOperator returns the signed-in operator of the request, or nil.
func CurrentOperator(r *http.Request) *operator.Operator {
	o, _ := r.Context().Value(operatorKey{}).(*operator.Operator)
	return o
}

// StartOperatorSession signs o in on a fresh session token (no session fixation) and drops
// any facility principal the session held. Call it only once the second factor is passed.
func (s *Site) StartOperatorSession(r *http.Request, o operator.Operator) error {
	ctx := r.Context()
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.DropUser(r)
	s.Sessions.Put(ctx, SessOperatorID, o.ID)
	s.Sessions.Put(ctx, SessOperatorVersion, o.SessionVersion)
	return nil
}

// KeepOperatorSession records o's new session version in the current session after the
// operator changed their own password (which ends every other session), on a fresh token.
func (s *Site) KeepOperatorSession(r *http.Request, o operator.Operator) error {
	if err := s.Sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.Sessions.Put(r.Context(), SessOperatorVersion, o.SessionVersion)
	return nil
}

// RequireOperator lets only a signed-in operator or supervisor through. Visitors, facility
// sessions included, go to the back-office login and come back afterwards. An operator
// holding a temporary password is led to the password change first.
func RequireOperator(next http.Handler) http.Handler {
	return NoStore(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := CurrentOperator(r)
		if o == nil {
			target := AdminLoginPath
			if r.Method == http.MethodGet && r.URL.Path != AdminHomePath {
				target += "?next=" + url.QueryEscape(LoginNext(r))
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if o.MustChangePassword && r.URL.Path != AdminPasswordPath && r.URL.Path != adminLogoutPath {
			http.Redirect(w, r, AdminPasswordPath, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// RequireSupervisor lets only a supervisor through; an operator gets the 403 page. It does
// RequireOperator's work itself, so it guards a route alone or inside the operator group.
func (s *Site) RequireSupervisor(next http.Handler) http.Handler {
	return RequireOperator(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !CurrentOperator(r).IsSupervisor() {
			s.AdminForbidden(w, r)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// AdminNext returns next when it is a back-office page, else the admin home: no open
// redirects, and no detour from the operator login into facility pages.
func AdminNext(next string) string {
	if SafeNext(next) != next || strings.Contains(next, "\\") {
		return AdminHomePath
	}
	if next == AdminHomePath || strings.HasPrefix(next, AdminHomePath+"/") || strings.HasPrefix(next, AdminHomePath+"?") {
		return next
	}
	return AdminHomePath
}

// AdminBase is what the back-office layout (layouts/admin.html) needs; every admin page's
// data struct embeds it and is drawn with RenderAdmin.
type AdminBase struct {
	Base
	// Operator is the signed-in operator; nil on the login page.
	Operator *operator.Operator
	// Menu is the back-office menu as this operator sees it.
	Menu []AdminMenuItem
}

func (b *AdminBase) adminBase() *AdminBase { return b }

// AdminPage is the data of a back-office page: a struct embedding AdminBase.
type AdminPage interface {
	Page
	adminBase() *AdminBase
}

// RenderAdmin is Render for back-office pages: it adds the operator and the menu.
func (s *Site) RenderAdmin(w http.ResponseWriter, r *http.Request, status int, name string, data AdminPage) {
	b := data.adminBase()
	if o := CurrentOperator(r); o != nil {
		b.Operator = o
		b.Menu = AdminMenuFor(o, r.URL.Path)
	}
	s.Render(w, r, status, name, data)
}

// AdminForbiddenPage is the 403 page of the back office.
type AdminForbiddenPage struct {
	AdminBase
}

// AdminForbidden tells an operator that the page needs a supervisor.
func (s *Site) AdminForbidden(w http.ResponseWriter, r *http.Request) {
	s.RenderAdmin(w, r, http.StatusForbidden, "admin/forbidden", &AdminForbiddenPage{})
}
