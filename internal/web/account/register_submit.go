package account

import (
	"net/http"

	"portal/internal/accountform"
)

const sessRegisterSentTo = "register_sent_to"

// registerSubmit sends the registration link (仮登録メールを送信する). Every well-formed
// address gets the same answer: a link if it is new, a note that it is registered if it is
// not, nothing beyond the hourly limit — the page cannot tell them apart.
func (h *Handler) registerSubmit(w http.ResponseWriter, r *http.Request) {
	a, errs := accountform.ReadAddress(r.PostForm)
	if !errs.Valid() {
		h.Render(w, r, http.StatusUnprocessableEntity, "account/register", &registerStartPage{Email: a.Email, Errors: errs})
		return
	}
	ctx := r.Context()
	if err := h.accounts.RequestRegistration(ctx, a.Email, h.ClientAddr(r)); err != nil {
		if !h.Limited(w, r, err) {
			h.ServerError(w, r, err)
		}
		return
	}
	h.Sessions.Put(ctx, sessRegisterSentTo, a.Email)
	http.Redirect(w, r, "/register/sent", http.StatusSeeOther)
}
