package account

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// loginPage is ログイン: an e-mail address (or the letter's 仮メールアドレス) and a password.
type loginPage struct {
	site.Base
	// Email is what was typed, kept on every answer.
	Email string
	// Next is where to go after signing in (a local path only).
	Next   string
	Errors form.Errors
	// Failure is the one answer for an unknown address and a wrong password, or the lock.
	Failure string
}

// loginShow is the login page. Someone already signed in goes where they belong.
func (h *Handler) loginShow(w http.ResponseWriter, r *http.Request) {
	if p := site.CurrentUser(r); p != nil {
		if p.Account == nil {
			http.Redirect(w, r, site.ProvisionalEditPath, http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, site.SafeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	next := r.URL.Query().Get("next")
	if site.SafeNext(next) != next {
		next = ""
	}
	h.Render(w, r, http.StatusOK, "account/login", &loginPage{Next: next})
}
