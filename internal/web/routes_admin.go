package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// adminRoutes registers the back office's entrance: its login and logout, its home and the
// audit log. Everything under /admin is kept out of caches.
//
// How another area adds back-office pages, without touching this file: in its own
// routes_<area>.go, call s.adminPages with the routes, e.g.
//
//	s.adminPages(r, func(r chi.Router) {
//		r.Get("/admin/cardreader", s.adminCardReaderIndex)                         // operators and supervisors
//		r.With(s.requireSupervisor).Post("/admin/cardreader/export", s.adminCardReaderExport) // supervisors only
//	})
//
// Handlers read the operator with currentOperator(r), draw pages whose data struct embeds
// AdminBase with s.renderAdmin (each page template starts with
// {{define "layout"}}{{template "admin_layout" .}}{{end}}), write audit entries with
// operator.Record in the same transaction as the change, and set their entry's Path in
// adminMenu (admin_menu.go).
func (s *Server) adminRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(adminNoStore)
		r.Get(adminLoginPath, s.adminLoginShow)
		r.Post(adminLoginPath, s.adminLoginSubmit)
		r.Get(adminHomePath+"/", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, adminHomePath, http.StatusMovedPermanently)
		})
	})
	s.adminPages(r, func(r chi.Router) {
		r.Get(adminHomePath, s.adminHomeShow)
		r.Post("/admin/logout", s.adminLogout)
		r.With(s.requireSupervisor).Get("/admin/audit", s.adminAuditIndex)
		// Append area routes here only if they have no routes file of their own.
	})
	if testRoutes != nil {
		testRoutes(s, r)
	}
}

// testRoutes lets this package's tests add probe routes (admin_export_test.go); nil in the
// binary.
var testRoutes func(s *Server, r chi.Router)

// adminPages registers routes that only signed-in operators reach (requireOperator), kept out
// of caches. Paths are full paths under /admin.
func (s *Server) adminPages(r chi.Router, fn func(r chi.Router)) {
	r.Group(func(r chi.Router) {
		r.Use(adminNoStore, s.requireOperator)
		fn(r)
	})
}
