package account

import "net/http"

// logout signs out: the session is destroyed and the next page gets a new token.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.EndSession(r); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.Flash(r, "ログアウトしました。")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
