package public

import "net/http"

// termsShow is サイトのご利用にあたって.
func (h *Handler) termsShow(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "public/terms", &staticPage{})
}
