// Package account serves the facility's account pages: sign-in and sign-out, new
// registration by mailed link (初めてご利用になる方), the forced アカウント情報編集 after a
// provisional sign-in, account upkeep, password reset and e-mail change.
package account

import (
	"github.com/go-chi/chi/v5"

	"portal/internal/account"
	"portal/internal/web/site"
)

// Handler serves the account pages.
type Handler struct {
	*site.Site
	accounts *account.Service
}

// New returns the account pages.
func New(s *site.Site, accounts *account.Service) *Handler {
	return &Handler{Site: s, accounts: accounts}
}

// Mount registers the routes.
func (h *Handler) Mount(r chi.Router) {
	r.Get("/login", h.loginShow)
	r.Post("/login", h.loginSubmit)
	r.Post("/logout", h.logout)
	r.Group(func(r chi.Router) {
		r.Use(site.RequireProvisional)
		r.Get(site.ProvisionalEditPath, h.accountSetupShow)
		r.Post(site.ProvisionalEditPath, h.accountSetupSubmit)
		r.Get(site.ProvisionalEditPath+"/confirm", h.accountSetupConfirmShow)
		r.Post(site.ProvisionalEditPath+"/confirm", h.accountSetupConfirmSubmit)
	})
	r.Group(func(r chi.Router) {
		r.Use(site.RequireAccount)
		r.Get(site.ProvisionalEditPath+"/complete", h.accountSetupComplete)
		r.Get("/account/edit", h.accountEditShow)
		r.Post("/account/edit", h.accountEditSubmit)
		r.Get("/account/edit/confirm", h.accountEditConfirmShow)
		r.Post("/account/edit/confirm", h.accountEditConfirmSubmit)
		r.Get("/account/email", h.emailChangeShow)
		r.Post("/account/email", h.emailChangeSubmit)
		r.Get("/account/email/sent", h.emailChangeSent)
		r.Get("/account/password", h.passwordChangeShow)
		r.Post("/account/password", h.passwordChangeSubmit)
		r.Get("/account/password/done", h.passwordChangeDone)
	})
	// New registration by mail link, password reset and the e-mail change link (which
	// works without signing in: the link proves the new mailbox).
	r.Get("/register", h.registerShow)
	r.Post("/register", h.registerSubmit)
	r.Get("/register/sent", h.registerSent)
	r.Get("/register/verify", h.registerVerify)
	r.Get("/register/account", h.registerForm)
	r.Post("/register/account", h.registerFormSubmit)
	r.Post("/register/lookup", h.registerLookup)
	r.Get("/register/confirm", h.registerConfirm)
	r.Post("/register/confirm", h.registerComplete)
	r.Get("/register/done", h.registerDone)
	r.Get("/password/forgot", h.passwordForgotShow)
	r.Post("/password/forgot", h.passwordForgotSubmit)
	r.Get("/password/forgot/sent", h.passwordForgotSent)
	r.Get("/password/reset/verify", h.passwordResetLink)
	r.Get("/password/reset", h.passwordResetShow)
	r.Post("/password/reset", h.passwordResetSubmit)
	r.Get("/password/reset/done", h.passwordResetDone)
	r.Get("/account/email/confirm", h.emailChangeConfirmShow)
	r.Post("/account/email/confirm", h.emailChangeConfirmSubmit)
	r.Get("/account/email/done", h.emailChangeDone)
}
