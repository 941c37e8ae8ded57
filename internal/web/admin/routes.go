// Package admin is the back office's entrance (/admin): the operators' sign-in in two
// steps (password, then the second factor, enrolled at the first sign-in), sign-out, the
// operator's own password change and the home menu (管理メニュー). Each back-office area
// (card reader processing, operator accounts, the audit log, …) is a package of its own
// under internal/web/admin, mounted inside the operators' group by the router.
package admin

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"portal/internal/inquiry"
	"portal/internal/operator"
	"portal/internal/web/site"
)

// Handler serves the back office's entrance.
type Handler struct {
	*site.Site
	operators *operator.Service
	// inquiries gives the home its count of cases per status.
	inquiries *inquiry.Service
}

// New returns the back office's entrance.
func New(s *site.Site, operators *operator.Service, inquiries *inquiry.Service) *Handler {
	return &Handler{Site: s, operators: operators, inquiries: inquiries}
}

// MountPublic registers what is reached before signing in.
func (h *Handler) MountPublic(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(site.NoStore)
		r.Get(site.AdminLoginPath, h.loginShow)
		r.Post(site.AdminLoginPath, h.loginSubmit)
		r.Get(codePath, h.codeShow)
		r.Post(codePath, h.codeSubmit)
		r.Get(enrolPath, h.enrolShow)
		r.Post(enrolPath, h.enrolSubmit)
		r.Get(site.AdminHomePath+"/", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, site.AdminHomePath, http.StatusMovedPermanently)
		})
	})
}

// Mount registers the pages (inside the operators' group).
func (h *Handler) Mount(r chi.Router) {
	r.Get(site.AdminHomePath, h.homeShow)
	r.Post("/admin/logout", h.logout)
	r.Get(site.AdminPasswordPath, h.passwordShow)
	r.Post(site.AdminPasswordPath, h.passwordSubmit)
}
