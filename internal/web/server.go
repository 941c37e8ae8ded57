// Package web is the portal's HTTP layer: router, middleware, handlers and rendering.
// Handlers know no SQL; they call the domain packages.
package web

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/config"
	"portal/internal/operator"
	"portal/internal/postal"
	webfs "portal/web"
)

// Server carries what the handlers need. Nothing in it is state another instance would
// need: sessions, locks and queues live in PostgreSQL.
type Server struct {
	cfg      *config.Config
	db       *pgxpool.Pool
	log      *slog.Logger
	sessions *scs.SessionManager
	tmpl     *Renderer
	router   chi.Router

	// homeCache is the visitors' top page, rebuilt every few seconds.
	homeCache pageCache
	// postal answers 郵便番号 lookups from this instance's in-memory snapshot.
	postal *postal.Directory

	accounts  *account.Service
	operators *operator.Service
	// draining is set by Drain on SIGTERM: /readyz then answers 503.
	draining atomic.Bool
}

// Services are the domain services the handlers call. The caller (portal serve, webtest)
// builds them, so their background jobs are registered on the job client it starts.
type Services struct {
	Accounts  *account.Service
	Operators *operator.Service
}

// New builds the server and its routes.
func New(cfg *config.Config, db *pgxpool.Pool, log *slog.Logger, svc Services) (*Server, error) {
	if svc.Accounts == nil || svc.Operators == nil {
		return nil, errors.New("web: the account and operator services are required")
	}
	// The development mailbox must not exist outside a development machine (config.CheckMail
	// refuses such a configuration at start-up; this keeps a hand-made Config honest too).
	if err := cfg.CheckMail(); err != nil {
		return nil, err
	}
	tmpl, err := NewRenderer(webfs.Templates)
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(db, 10*time.Minute)
	// The idle time-out is enforced by s.idleTimeout, not scs: scs would rewrite the session
	// row on every request to move its expiry.
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "portal_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = strings.HasPrefix(cfg.BaseURL, "https://")
	s := &Server{cfg: cfg, db: db, log: log, sessions: sm, tmpl: tmpl, postal: postal.NewDirectory(db, log, postal.DefaultCheckInterval),
		accounts: svc.Accounts, operators: svc.Operators}
	sm.ErrorFunc = s.serverError
	s.routes()
	return s, nil
}

// Drain makes /readyz answer 503 from now on, so the load balancer stops sending requests
// before the listener closes (portal serve calls it on SIGTERM).
func (s *Server) Drain() { s.draining.Store(true) }

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// sessionAndCSRF loads the session and checks CSRF for every page; reading static files and
// the health probes skips both, so they cost no database round trip. Other methods on them
// pass, to get the 405 page, which needs the session.
func (s *Server) sessionAndCSRF(next http.Handler) http.Handler {
	withSession := s.sessions.LoadAndSave(s.csrf(s.idleTimeout(s.loadPrincipal(next))))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		read := r.Method == http.MethodGet || r.Method == http.MethodHead
		if read && (strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz") {
			next.ServeHTTP(w, r)
			return
		}
		// A returning visitor (CSRF cookie, no session) asking for the top page gets the shared
		// rendering straight away, like a cache in front of the application: with no session
		// there is no principal and no notice to show, and the cookie needs no renewal.
		if read && p == "/" && s.isReturningVisitor(r) {
			if page := s.homeCache.get(time.Now()); page != nil {
				page.write(w, r)
				return
			}
		}
		withSession.ServeHTTP(w, r)
	})
}

// isReturningVisitor reports whether the request carries the CSRF cookie and no session.
func (s *Server) isReturningVisitor(r *http.Request) bool {
	if _, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
		return false
	}
	c, err := r.Cookie(csrfCookie)
	return err == nil && len(c.Value) == 43
}

func (s *Server) routes() {
	r := chi.NewRouter()
	r.Use(requestID, s.accessLog, s.recoverPanic, s.securityHeaders, s.limitURL, limitBody(maxBodyBytes), s.sessionAndCSRF)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.errorStatus(w, r, http.StatusNotFound) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { s.errorStatus(w, r, http.StatusMethodNotAllowed) })

	static, _ := fs.Sub(webfs.Static, "static")
	files := http.StripPrefix("/static/", cacheStatic(staticFiles(static)))
	r.Method(http.MethodGet, "/static/*", files)
	r.Method(http.MethodHead, "/static/*", files)
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Head("/healthz", s.healthz) // probes may use HEAD; without a route it was the 405 page, a 500 without a session
	r.Head("/readyz", s.readyz)

	r.Get("/", s.homeShow)
	// Each area registers its own routes in its own file, so areas grow without touching here.
	s.publicRoutes(r)
	s.mailRoutes(r)
	s.accountRoutes(r)
	s.adminRoutes(r)
	s.cardReaderRoutes(r)
	s.postalRoutes(r)
	s.router = r
}
