package web

import "github.com/go-chi/chi/v5"

// accountRoutes registers the routes of this area.
func (s *Server) accountRoutes(r chi.Router) {
	// Sign-in, the provisional letter's forced edit, マイページ and アカウント情報編集.
	r.Get("/login", s.loginShow)
	r.Post("/login", s.loginSubmit)
	r.Post("/logout", s.logout)
	r.Group(func(r chi.Router) {
		r.Use(s.requireProvisional)
		r.Get(provisionalEditPath, s.accountSetupShow)
		r.Post(provisionalEditPath, s.accountSetupSubmit)
		r.Get(provisionalEditPath+"/confirm", s.accountSetupConfirmShow)
		r.Post(provisionalEditPath+"/confirm", s.accountSetupConfirmSubmit)
	})
	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount)
		r.Get(provisionalEditPath+"/complete", s.accountSetupComplete)
		r.Get("/mypage", s.mypageShow)
		r.Get("/mypage/messages/{id}", s.mypageMessageShow)
		r.Get("/account/edit", s.accountEditShow)
		r.Post("/account/edit", s.accountEditSubmit)
		r.Get("/account/edit/confirm", s.accountEditConfirmShow)
		r.Post("/account/edit/confirm", s.accountEditConfirmSubmit)
	})
	// New registration by mail link, password reset, e-mail change and password change.
	r.Get("/register", s.registerShow)
	r.Post("/register", s.registerSubmit)
	r.Get("/register/sent", s.registerSent)
	r.Get("/register/verify", s.registerVerify)
	r.Get("/register/account", s.registerForm)
	r.Post("/register/account", s.registerFormSubmit)
	r.Post("/register/lookup", s.registerLookup)
	r.Get("/register/confirm", s.registerConfirm)
	r.Post("/register/confirm", s.registerComplete)
	r.Get("/register/done", s.registerDone)
	r.Get("/password/forgot", s.passwordForgotShow)
	r.Post("/password/forgot", s.passwordForgotSubmit)
	r.Get("/password/forgot/sent", s.passwordForgotSent)
	r.Get("/password/reset/verify", s.passwordResetLink)
	r.Get("/password/reset", s.passwordResetShow)
	r.Post("/password/reset", s.passwordResetSubmit)
	r.Get("/password/reset/done", s.passwordResetDone)
	r.Get("/account/email/confirm", s.emailChangeConfirmShow)
	r.Post("/account/email/confirm", s.emailChangeConfirmSubmit)
	r.Get("/account/email/done", s.emailChangeDone)
	r.Group(func(r chi.Router) {
		r.Use(s.requireAccount)
		r.Get("/account/email", s.emailChangeShow)
		r.Post("/account/email", s.emailChangeSubmit)
		r.Get("/account/email/sent", s.emailChangeSent)
		r.Get("/account/password", s.passwordChangeShow)
		r.Post("/account/password", s.passwordChangeSubmit)
		r.Get("/account/password/done", s.passwordChangeDone)
	})
}
