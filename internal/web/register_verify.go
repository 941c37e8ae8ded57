package web

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
func (s *Server) registerVerify(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("token")
	_, err := account.LookupToken(r.Context(), s.db, account.PurposeRegister, raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/register", "仮登録メールを送信し直す")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if s.sessions.GetString(r.Context(), sessRegisterToken) != raw {
		s.sessions.Remove(r.Context(), sessRegisterDraft)
	}
	s.sessions.Put(r.Context(), sessRegisterToken, raw)
	http.Redirect(w, r, "/register/account", http.StatusSeeOther)
}

// registrationLink returns the session's live registration link, or answers the request
// itself (invalid link page, or the completion page after a resubmitted 確定) and false.
func (s *Server) registrationLink(w http.ResponseWriter, r *http.Request) (string, account.Token, bool) {
	raw := s.sessions.GetString(r.Context(), sessRegisterToken)
	if raw == "" && s.sessions.GetString(r.Context(), sessRegisterDone) != "" {
		http.Redirect(w, r, "/register/done", http.StatusSeeOther)
		return "", account.Token{}, false
	}
	t, err := account.LookupToken(r.Context(), s.db, account.PurposeRegister, raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/register", "仮登録メールを送信し直す")
		return "", account.Token{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return "", account.Token{}, false
	}
	return raw, t, true
}
