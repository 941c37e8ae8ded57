package admin

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// loginPage is the back-office login (管理画面ログイン).
type loginPage struct {
	site.AdminBase
	// Login is what was typed as ログインID; the password is never given back.
	Login string
	// Next is the back-office page to open after signing in.
	Next string
	// Errors maps "login" and "password" to the message beside the field.
	Errors form.Errors
	// Problem is the message above the form when the sign-in itself failed.
	Problem string
}

// loginShow shows the back-office login; a signed-in operator goes straight on.
func (h *Handler) loginShow(w http.ResponseWriter, r *http.Request) {
	next := site.AdminNext(r.URL.Query().Get("next"))
	if site.CurrentOperator(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	h.RenderAdmin(w, r, http.StatusOK, "admin/login", &loginPage{Next: next})
}
