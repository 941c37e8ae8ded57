package admin

import (
	"net/http"
	"portal/internal/web/site"
)

// logout signs the operator out: the audit log records it, the session's data is
// dropped and the next page starts a fresh session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	o := site.CurrentOperator(r)
	if err := h.operators.SignOut(r.Context(), *o); err != nil {
		h.ServerError(w, r, err)
		return
	}
	if err := h.Sessions.Destroy(r.Context()); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "ログアウトしました。")
	http.Redirect(w, r, site.AdminLoginPath, http.StatusSeeOther)
}
