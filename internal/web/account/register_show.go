package account

import (
	"net/http"

	"portal/internal/form"
	"portal/internal/web/site"
)

// registerStartPage is 初めてご利用になる方（アカウント登録）: the address to send the
// registration link to.
type registerStartPage struct {
	site.Base
	Email  string
	Errors form.Errors
}

// registerShow asks for the address that will become the login ID.
func (h *Handler) registerShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "account/register", &registerStartPage{})
}
