package web

import (
	"errors"
	"net/http"

	"portal/internal/account"
)

const sessResetToken = "reset_token"

// passwordResetLink opens the mailed reset link: the token (in the query string, which the
// access log leaves out) moves into the session and the browser goes on to a URL without it. The link is used only when the password is set.
func (s *Server) passwordResetLink(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("token")
	_, err := account.LookupToken(r.Context(), s.db, account.PurposePasswordReset, raw)
	if errors.Is(err, account.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/password/forgot", "パスワードの再設定をやり直す")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), sessResetToken, raw)
	http.Redirect(w, r, "/password/reset", http.StatusSeeOther)
}
