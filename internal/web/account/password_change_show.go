package account

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// passwordChangePage is パスワード変更: the current password and a new one typed twice.
type passwordChangePage struct {
	site.Base
	Errors form.Errors
}

// passwordChangeShow asks for the current and the new password.
func (h *Handler) passwordChangeShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "account/password_change", &passwordChangePage{})
}
