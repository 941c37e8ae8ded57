package account

import (
	"net/http"
	"portal/internal/web/site"
)

// accountSetupCompletePage is the completion page of the forced edit.
type accountSetupCompletePage struct {
	site.Base
	Email string
}

// accountSetupComplete tells that the account is registered and the mail is on its way.
// It shows once, right after the forced edit; later visits go to マイページ.
func (h *Handler) accountSetupComplete(w http.ResponseWriter, r *http.Request) {
	if !h.Sessions.PopBool(r.Context(), sessSetupDone) {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "account/setup_complete", &accountSetupCompletePage{Email: site.CurrentUser(r).Account.Email})
}
