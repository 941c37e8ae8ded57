package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"portal/internal/operator"
)

// sessOperatorID is the session key of a signed-in operator. It never sits beside the
// facility keys of auth.go: startOperatorSession drops the facility principal and
// startSession drops this key, so one session is a facility or an operator, never both.
const sessOperatorID = "operator_id"

// operatorKey is the context key of the request's *operator.Operator.
type operatorKey struct{}

// currentOperator returns the signed-in operator of a request that passed requireOperator,
// or nil.
func currentOperator(r *http.Request) *operator.Operator {
	o, _ := r.Context().Value(operatorKey{}).(*operator.Operator)
	return o
}

// sessionOperator reads the operator of the session from the database, or nil. An operator
// who no longer exists has the key dropped, so a deleted login ends at once.
func (s *Server) sessionOperator(r *http.Request) (*operator.Operator, error) {
	if o := currentOperator(r); o != nil {
		return o, nil
	}
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessOperatorID)
	if id == 0 {
		return nil, nil
	}
	o, err := operator.ByID(ctx, s.db, id)
	if errors.Is(err, operator.ErrNotFound) {
		s.sessions.Remove(ctx, sessOperatorID)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// startOperatorSession signs o in on a fresh session token (no session fixation) and drops
// any facility principal the session held.
func (s *Server) startOperatorSession(r *http.Request, o operator.Operator) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.dropPrincipal(r)
	s.sessions.Put(ctx, sessOperatorID, o.ID)
	return nil
}

// adminNoStore keeps back-office pages out of every cache, the browser's back button included.
func adminNoStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// requireOperator lets only a signed-in operator or supervisor through, with the operator
// in the request context (currentOperator). Visitors, facility sessions included, go to the
// back-office login and come back afterwards.
func (s *Server) requireOperator(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := s.sessionOperator(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if o == nil {
			target := adminLoginPath
			if r.Method == http.MethodGet && r.URL.Path != adminHomePath {
				target = withNext(adminLoginPath, r)
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), operatorKey{}, o)))
	})
}

// requireSupervisor lets only a supervisor through; an operator gets the 403 page. It does
// requireOperator's work itself, so it guards a route alone or inside the operator group.
func (s *Server) requireSupervisor(next http.Handler) http.Handler {
	return s.requireOperator(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !currentOperator(r).IsSupervisor() {
			s.adminForbidden(w, r)
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// Back-office paths other code refers to.
const (
	adminHomePath  = "/admin"
	adminLoginPath = "/admin/login"
)

// adminNext returns next when it is a back-office page, else the admin home: no open
// redirects, and no detour from the operator login into facility pages.
func adminNext(next string) string {
	if safeNext(next) != next || strings.Contains(next, "\\") {
		return adminHomePath
	}
	if next == adminHomePath || strings.HasPrefix(next, adminHomePath+"/") || strings.HasPrefix(next, adminHomePath+"?") {
		return next
	}
	return adminHomePath
}

// AdminBase is what the back-office layout (layouts/admin.html) needs; every admin page's
// data struct embeds it and is drawn with renderAdmin.
type AdminBase struct {
	Base
	// Operator is the signed-in operator; nil on the login page.
	Operator *operator.Operator
	// Menu is the back-office menu as this operator sees it.
	Menu []adminMenuItem
}

func (b *AdminBase) adminBase() *AdminBase { return b }

type adminPageData interface {
	pageData
	adminBase() *AdminBase
}

// renderAdmin is render for back-office pages: it adds the operator and the menu.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, status int, name string, data adminPageData) {
	b := data.adminBase()
	if o := currentOperator(r); o != nil {
		b.Operator = o
		b.Menu = adminMenuFor(o, r.URL.Path)
	}
	s.render(w, r, status, name, data)
}

// adminForbiddenPage is the 403 page of the back office.
type adminForbiddenPage struct {
	AdminBase
}

// adminForbidden tells an operator that the page needs a supervisor.
func (s *Server) adminForbidden(w http.ResponseWriter, r *http.Request) {
	s.renderAdmin(w, r, http.StatusForbidden, "admin_forbidden", &adminForbiddenPage{})
}
