package account

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// passwordForgotPage is パスワードを忘れた方はこちら: the account's address.
type passwordForgotPage struct {
	site.Base
	Email  string
	Errors form.Errors
}

// passwordForgotShow asks for the address of the account whose password is forgotten.
func (h *Handler) passwordForgotShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "account/password_forgot", &passwordForgotPage{})
}
