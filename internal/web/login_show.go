package web

import (
	"net/http"

	"portal/internal/form"
)

// loginPage is ログイン: an e-mail address (or the letter's 仮メールアドレス) and a password.
type loginPage struct {
	Base
	// Email is what was typed, kept on every answer.
	Email string
	// Next is where to go after signing in (a local path only).
	Next   string
	Errors form.Errors
	// Failure is the one answer for an unknown address and a wrong password, or the lock.
	Failure string
}

// loginShow is the login page. Someone already signed in goes where they belong.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	if p := currentUser(r); p != nil {
		if p.Account == nil {
			http.Redirect(w, r, provisionalEditPath, http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	next := r.URL.Query().Get("next")
	if safeNext(next) != next {
		next = ""
	}
	s.render(w, r, http.StatusOK, "login", &loginPage{Next: next})
}
