package account

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// emailChangePage is メールアドレス変更: the new address, typed twice.
type emailChangePage struct {
	site.Base
	// Current is the address in use.
	Current      string
	Email        string
	EmailConfirm string
	Errors       form.Errors
}

// emailChangeShow asks for the new address.
func (h *Handler) emailChangeShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "account/email_change", &emailChangePage{Current: site.CurrentUser(r).Account.Email})
}
