package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"portal/internal/web/site"
	"strings"
)

// csrfCookie holds a random value per browser; the token in forms is its HMAC under
// SESSION_SECRET (OWASP's signed double-submit cookie). Unlike a token kept in the session,
// it needs no database row, so a visitor reading public pages costs no write.
const csrfCookie = "portal_csrf"

// csrf gives every browser its CSRF cookie and refuses every state-changing request whose
// csrf_token field (or X-CSRF-Token header) is not the cookie's signature, on top of Go's
// cross-origin check of Sec-Fetch-Site and Origin.
func (s *Server) csrf(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, http.StatusForbidden)
	}))
	secure := strings.HasPrefix(s.Config.BaseURL, "https://")
	check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seed := ""
		if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
			seed = c.Value
		}
		safe := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
		if seed == "" && safe {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: seed, Path: "/", HttpOnly: true, Secure: secure,
				SameSite: http.SameSiteLaxMode})
		}
		r = r.WithContext(site.WithCSRFSeed(r.Context(), seed))
		if safe {
			next.ServeHTTP(w, r)
			return
		}
		// The form is parsed whichever way the token came: handlers read r.PostForm, and a
		// token sent as a header once left it unparsed (every field empty).
		if err := parseForm(r); err != nil {
			if isBodyTooLarge(err) {
				s.Error(w, r, http.StatusRequestEntityTooLarge)
			} else {
				s.Error(w, r, http.StatusBadRequest)
			}
			return
		}
		if r.MultipartForm != nil {
			// net/http removes the temporary files of the request it handed in, not of this
			// copy: without this, every large upload (answered or refused) stayed on disk.
			defer func() { _ = r.MultipartForm.RemoveAll() }()
		}
		sent := r.Header.Get("X-CSRF-Token")
		if sent == "" {
			sent = r.PostForm.Get("csrf_token")
		}
		if seed == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(s.CSRFSign(seed))) != 1 {
			s.Log.WarnContext(r.Context(), "csrf token mismatch", site.RequestAttrs(r))
			s.Error(w, r, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
	return cop.Handler(check)
}

// parseForm parses url-encoded and multipart bodies alike.
func parseForm(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/form-data") {
		return r.ParseMultipartForm(8 << 20)
	}
	return r.ParseForm()
}
