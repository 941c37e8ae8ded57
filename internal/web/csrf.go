package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

const csrfSessionKey = "csrf_token"

// csrfToken returns the session's CSRF token, creating it on first use. scs keeps session
// data across RenewToken, so the token survives sign-in.
func (s *Server) csrfToken(r *http.Request) string {
	ctx := r.Context()
	tok := s.sessions.GetString(ctx, csrfSessionKey)
	if tok == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		tok = base64.RawURLEncoding.EncodeToString(b)
		s.sessions.Put(ctx, csrfSessionKey, tok)
	}
	return tok
}

// csrf refuses every state-changing request whose csrf_token field (or X-CSRF-Token header)
// does not match the session's token, on top of Go's cross-origin check of Sec-Fetch-Site.
func (s *Server) csrf(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.errorStatus(w, r, http.StatusForbidden)
	}))
	check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		sent := r.Header.Get("X-CSRF-Token")
		if sent == "" {
			if err := parseForm(r); err != nil {
				if isBodyTooLarge(err) {
					s.errorStatus(w, r, http.StatusRequestEntityTooLarge)
				} else {
					s.errorStatus(w, r, http.StatusBadRequest)
				}
				return
			}
			sent = r.PostForm.Get("csrf_token")
		}
		want := s.sessions.GetString(r.Context(), csrfSessionKey)
		if want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
			s.log.WarnContext(r.Context(), "csrf token mismatch", requestAttrs(r))
			s.errorStatus(w, r, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
	return cop.Handler(check)
}

// parseForm parses url-encoded and multipart bodies alike.
func parseForm(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); len(ct) >= 19 && ct[:19] == "multipart/form-data" {
		return r.ParseMultipartForm(8 << 20)
	}
	return r.ParseForm()
}
