// Package web is the portal's HTTP front: the router, the middleware every request passes
// (request ID, access log, panic recovery, security headers, body limit, session, CSRF,
// the signed-in principal) and the mounting of each area's pages. The pages themselves
// live in one package per area (public, account, mypage, cardreader, admin/…), built on
// what they share in package site. No package under internal/web touches the database:
// they call the domain services of internal/app.
package web

import (
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"

	"portal/internal/app"
	"portal/internal/config"
	"portal/internal/session"
	"portal/internal/web/account"
	"portal/internal/web/admin"
	adminaudit "portal/internal/web/admin/audit"
	adminbatch "portal/internal/web/admin/batch"
	adminbroadcast "portal/internal/web/admin/broadcast"
	admincardreader "portal/internal/web/admin/cardreader"
	admincatalog "portal/internal/web/admin/catalog"
	admincertificate "portal/internal/web/admin/certificate"
	admindocument "portal/internal/web/admin/document"
	adminfacility "portal/internal/web/admin/facility"
	admininquiry "portal/internal/web/admin/inquiry"
	adminnews "portal/internal/web/admin/news"
	adminoperators "portal/internal/web/admin/operators"
	adminoutbox "portal/internal/web/admin/outbox"
	adminqualification "portal/internal/web/admin/qualification"
	"portal/internal/web/cardreader"
	"portal/internal/web/certificate"
	inquiryweb "portal/internal/web/inquiry"
	"portal/internal/web/mailbox"
	"portal/internal/web/mypage"
	"portal/internal/web/postal"
	"portal/internal/web/public"
	"portal/internal/web/qualification"
	"portal/internal/web/site"
	webfs "portal/web"
)

// Server is the portal's http.Handler. Nothing in it is state another instance would
// need: sessions, locks and queues live in PostgreSQL.
type Server struct {
	*site.Site
	svc    *app.Services
	router chi.Router
	public *public.Handler
	// draining is set by Drain on SIGTERM: /readyz then answers 503.
	draining atomic.Bool
}

// Drain makes /readyz answer 503, so a load balancer stops sending new requests before
// the listener closes (portal serve calls it on SIGTERM).
func (s *Server) Drain() { s.draining.Store(true) }

// New builds the server and its routes on the domain services.
func New(cfg *config.Config, svc *app.Services, log *slog.Logger) (*Server, error) {
	// The development mailbox must not exist outside a development machine (config.CheckMail
	// refuses such a configuration at start-up; this keeps a hand-made Config honest too).
	if err := cfg.CheckMail(); err != nil {
		return nil, err
	}
	pages, err := site.NewRenderer(webfs.Templates)
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = svc.Sessions
	sm.Codec = session.Codec{}
	// The idle time-out is enforced by s.idleTimeout, not scs: scs would rewrite the session
	// row on every request to move its expiry.
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "portal_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = strings.HasPrefix(cfg.BaseURL, "https://")
	s := &Server{Site: site.New(cfg, log, sm, pages), svc: svc}
	sm.ErrorFunc = s.ServerError
	s.routes()
	return s, nil
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Routes returns the server's router, for tests that walk every route (chi.Walk).
func (s *Server) Routes() chi.Routes { return s.router }

// sessionAndCSRF loads the session and checks CSRF for every page; reading static files and
// the health probes skips both, so they cost no database round trip. Other methods on them
// pass, to get the 405 page, which needs the session.
func (s *Server) sessionAndCSRF(next http.Handler) http.Handler {
	withSession := s.Sessions.LoadAndSave(s.limitUpload(s.csrf(s.idleTimeout(s.loadPrincipal(next)))))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		read := r.Method == http.MethodGet || r.Method == http.MethodHead
		if read && (strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz") {
			next.ServeHTTP(w, r)
			return
		}
		// A browser without a session asking for a public page gets the shared rendering
		// straight away, like a cache in front of the application: with no session there is
		// no principal and no notice to show, and these pages post nothing, so they need no
		// CSRF cookie either.
		if read && !s.hasSession(r) && s.public.ServeCached(w, r) {
			return
		}
		// The session store reads a signed-in facility's account and facility with the
		// session (one query); loadPrincipal takes them from there.
		withSession.ServeHTTP(w, r.WithContext(site.WithMemo(session.Preload(r.Context()))))
	})
}

// forgetPublicPages drops the visitors' shared renderings after every change the wrapped
// pages post (お知らせ, the catalog).
func (s *Server) forgetPublicPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method == http.MethodPost {
			s.public.Forget()
		}
	})
}

// hasSession reports whether the request carries a session cookie.
func (s *Server) hasSession(r *http.Request) bool {
	_, err := r.Cookie(s.Sessions.Cookie.Name)
	return err == nil
}

// routes mounts every area, each with one line, inside the guard its pages need.
func (s *Server) routes() {
	r := chi.NewRouter()
	r.Use(requestID, s.accessLog, s.recoverPanic, s.securityHeaders, s.limitURL, limitBody, s.sessionAndCSRF)
	r.NotFound(s.NotFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.Error(w, r, http.StatusMethodNotAllowed) })

	static, _ := fs.Sub(webfs.Static, "static")
	files := http.StripPrefix("/static/", cacheStatic(staticFiles(static)))
	r.Method(http.MethodGet, "/static/*", files)
	r.Method(http.MethodHead, "/static/*", files)
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Head("/healthz", s.healthz) // probes may use HEAD; without a route it was the 405 page, a 500 without a session
	r.Head("/readyz", s.readyz)

	svc, st := s.svc, s.Site
	s.public = public.New(st, svc.Content)
	s.public.Mount(r)
	postal.New(st, svc.Postal).Mount(r)
	mailbox.New(st, svc.Mailbox).Mount(r)
	account.New(st, svc.Accounts).Mount(r)
	admin := admin.New(st, svc.Operators, svc.Inquiries)
	admin.MountPublic(r)
	inquiries := inquiryweb.New(st, svc.Inquiries)
	inquiries.MountPublic(r)

	// Signed-in facilities: マイページ and the applications.
	r.Group(func(r chi.Router) {
		r.Use(site.RequireAccount)
		mypage.New(st, svc.Accounts, svc.MyPage, svc.Documents).Mount(r)
		cardreader.New(st, svc.CardReader, svc.Postal).Mount(r)
		qualification.New(st, svc.Qualification).Mount(r)
		certificate.New(st, svc.Certificates).Mount(r)
		inquiries.Mount(r)
	})
	// Signed-in operators: the back office.
	r.Group(func(r chi.Router) {
		r.Use(site.RequireOperator)
		admin.Mount(r)
		admincardreader.New(st, svc.CardReader).Mount(r)
		adminqualification.Mount(r, st, svc.Qualification)
		admincertificate.Mount(r, st, svc.Certificates)
		facilities := adminfacility.New(st, svc.Facilities)
		facilities.InquiryPath = admininquiry.Base + "/new" // 問い合わせを起票 on the facility page
		facilities.Mount(r)
		adminoutbox.New(st, svc.Outbox).Mount(r)
		adminbatch.New(st, svc.Batches).Mount(r)
		adminaudit.New(st, svc.Audit).Mount(r)
		adminoperators.New(st, svc.Operators).Mount(r)
		admininquiry.New(st, svc.Inquiries).Mount(r)
		r.Group(func(r chi.Router) {
			r.Use(s.forgetPublicPages) // the public pages show their changes at once
			adminnews.New(st, svc.Content).Mount(r)
			admincatalog.New(st, svc.Content).Mount(r)
		})
		adminbroadcast.New(st, svc.Broadcasts).Mount(r)
		admindocument.New(st, svc.Documents, svc.Inquiries).Mount(r)
	})
	if testRoutes != nil {
		testRoutes(s, r)
	}
	s.router = r
}

// uploadLimits are the body limits of the forms that upload a file (POST, by path).
var uploadLimits = map[string]upload{
	inquiryweb.FormPath:   {max: inquiryweb.MaxBody},
	admindocument.NewPath: {max: admindocument.MaxBody, operator: true},
	adminbatch.UploadPath: {max: adminbatch.UploadLimit, operator: true},
}

// testRoutes lets this package's tests add probe routes; nil in the binary.
var testRoutes func(s *Server, r chi.Router)
