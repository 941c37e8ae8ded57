package account

import (
	"errors"
	"net/http"

	"portal/internal/account"
)

// Session keys of new registration: the link's token once opened, the input held for the
// 確認画面, and the address of a completed registration.
const (
	sessRegisterToken = "register_token"
	sessRegisterDraft = "register_draft"
	sessRegisterDone  = "register_done"
)

// registerVerify opens the mailed registration link. The token rides in the query string,
// which the access log leaves out; it moves into the session and the browser goes on to a
// URL without it, so it stays out of history and later Referers. The link is used only
// when the account is created.
func (h *Handler) registerVerify(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("token")
	_, err := h.accounts.RegistrationLink(r.Context(), raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		h.LinkInvalid(w, r, "/register", "仮登録メールを送信し直す")
		return
	}
	if err != nil {
		h.ServerError(w, r, err)
		return
	}
	if h.Sessions.GetString(r.Context(), sessRegisterToken) != raw {
		h.Sessions.Remove(r.Context(), sessRegisterDraft)
	}
	h.Sessions.Put(r.Context(), sessRegisterToken, raw)
	http.Redirect(w, r, "/register/account", http.StatusSeeOther)
}

// registrationLink returns the session's live registration link, or answers the request
// itself (invalid link page, or the completion page after a resubmitted 確定) and false.
func (h *Handler) registrationLink(w http.ResponseWriter, r *http.Request) (string, account.Token, bool) {
	raw := h.Sessions.GetString(r.Context(), sessRegisterToken)
	if raw == "" && h.Sessions.GetString(r.Context(), sessRegisterDone) != "" {
		http.Redirect(w, r, "/register/done", http.StatusSeeOther)
		return "", account.Token{}, false
	}
	t, err := h.accounts.RegistrationLink(r.Context(), raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		h.LinkInvalid(w, r, "/register", "仮登録メールを送信し直す")
		return "", account.Token{}, false
	}
	if err != nil {
		h.ServerError(w, r, err)
		return "", account.Token{}, false
	}
	return raw, t, true
}
