// Package site is what every page of the portal shares, whatever its area: rendering into
// the layouts, the page's Base, the error pages, the signed-in facility or operator of the
// request and the guards that require them, the session helpers, flash notices and the
// pager. Area packages (public, account, cardreader, admin/…) build on it; the router
// (package web) builds it once and hands it to each area.
package site

import (
	"log/slog"

	"github.com/alexedwards/scs/v2"

	"portal/internal/config"
)

// Site carries what every handler needs besides its own domain service. Nothing in it is
// state another instance would need: sessions, locks and queues live in PostgreSQL.
type Site struct {
	Config   *config.Config
	Log      *slog.Logger
	Sessions *scs.SessionManager
	Pages    *Renderer
	// PageCache keeps signed-in facilities' pages between changes (CachedPage); nil
	// turns it off.
	PageCache *PageCache
}

// New builds the shared part of the web layer.
func New(cfg *config.Config, log *slog.Logger, sessions *scs.SessionManager, pages *Renderer) *Site {
	s := &Site{Config: cfg, Log: log, Sessions: sessions, Pages: pages}
	if cfg.PageCacheBytes > 0 {
		s.PageCache = NewPageCache(cfg.PageCacheBytes)
	}
	return s
}
