package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"portal/internal/web/site"
	"runtime/debug"
	"strings"
	"time"
)

// maxBodyBytes bounds every request body; upload routes raise it for themselves.
const maxBodyBytes = 1 << 20

// requestID gives every request an ID, echoed in X-Request-Id and in every log line.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(site.WithRequestID(r.Context(), id)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog logs one line per request: no query string (it can carry tokens), no body,
// no cookies, no personal data.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || !s.Log.Enabled(r.Context(), slog.LevelInfo) {
			return
		}
		s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request", site.RequestAttrs(r),
			slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
			slog.Duration("took", time.Since(start)))
	})
}

// recoverPanic turns a panic into the 500 page and a log line with the stack.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.ErrorContext(r.Context(), "panic", site.RequestAttrs(r), slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				s.ServerError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	https := strings.HasPrefix(s.Config.BaseURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil || https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// upload is the body limit of a form that uploads a file (a multipart POST to its exact
// path). An operators' form raises the limit only for a session that holds an operator, so
// nobody signed out makes the portal read 100 MiB before refusing them.
type upload struct {
	max      int64
	operator bool
}

// uploadOf answers the upload limit of r, if it is an upload form's post.
func uploadOf(r *http.Request) (upload, bool) {
	u, ok := uploadLimits[r.URL.Path]
	return u, ok && r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// limitBody refuses bodies larger than maxBodyBytes with 413 instead of reading them. An
// upload's body is limited by limitUpload instead, once the session is loaded.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := uploadOf(r); !ok {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// limitUpload gives an upload form's post its own limit (maxBodyBytes for an operators'
// form posted without an operator's session). It runs before the CSRF check parses the
// form, so a route cannot raise its limit any later.
func (s *Server) limitUpload(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, ok := uploadOf(r); ok {
			limit := int64(maxBodyBytes)
			if !u.operator || s.Sessions.GetInt64(r.Context(), site.SessOperatorID) != 0 {
				limit = u.max
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// isBodyTooLarge reports whether err came from http.MaxBytesReader.
func isBodyTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// maxURLBytes bounds the request target (path and query); browsers and proxies stop near
// 8 KB too, and nothing the portal links to comes close.
const maxURLBytes = 8 << 10

// limitURL answers 414 to a request whose target is longer than maxURLBytes, before the
// session is loaded or any handler sees the URL.
func (s *Server) limitURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > maxURLBytes {
			s.PlainError(w, http.StatusRequestURITooLong)
			return
		}
		next.ServeHTTP(w, r)
	})
}
