package account

import (
	"net/http"

	"portal/internal/web/site"
)

// accountEditConfirmSubmit saves the edit and returns to マイページ. Submitting twice saves
// the same values twice, which changes nothing.
func (h *Handler) accountEditConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	p := site.CurrentUser(r)
	pa, ok := h.pending(r, p)
	if !ok {
		http.Redirect(w, r, "/mypage", http.StatusSeeOther)
		return
	}
	if err := h.accounts.UpdateProfile(r.Context(), p.Account.ID, pa.profile()); err != nil {
		h.ServerError(w, r, err)
		return
	}
	h.dropPending(r)
	h.Flash(r, "アカウント情報を更新しました。")
	http.Redirect(w, r, "/mypage", http.StatusSeeOther)
}
