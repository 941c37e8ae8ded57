package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"portal/internal/outage"
	"portal/internal/ratelimit"
)

// Answers that are not the portal's fault: the database away (503), a client over a rate
// limit (429), a URL too long (414), and a client that left before its answer.

// statusClientClosed is what the access log shows for a client that went away before its
// answer (nginx's 499): not an error of the portal.
const statusClientClosed = 499

// retryAfterOutage is the Retry-After of the 503 page: PostgreSQL restarts in seconds, and
// the pool reconnects by itself.
const retryAfterOutage = 5 * time.Second

// notOurFault answers err when it is not a bug: the client went away (nothing to answer,
// logged at debug) or the database is away (503 with Retry-After, logged as a warning). It
// reports whether it answered.
func (s *Server) notOurFault(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case r.Context().Err() != nil && errors.Is(err, context.Canceled):
		s.log.DebugContext(r.Context(), "client went away", requestAttrs(r))
		w.WriteHeader(statusClientClosed)
		return true
	case outage.Is(err):
		s.log.WarnContext(r.Context(), "database unavailable", requestAttrs(r), errAttr(err))
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfterOutage/time.Second)))
		s.plainError(w, http.StatusServiceUnavailable)
		return true
	}
	return false
}

// limited answers a request refused by a rate limit with the 429 page and Retry-After, and
// reports whether err was such a refusal. Forms that can say it beside the field check
// errors.Is(err, ratelimit.ErrLimited) themselves.
func (s *Server) limited(w http.ResponseWriter, r *http.Request, err error) bool {
	var ex *ratelimit.Exceeded
	if !errors.As(err, &ex) {
		return false
	}
	s.log.InfoContext(r.Context(), "rate limited", requestAttrs(r), slog.String("limit", ex.Limit.Name))
	w.Header().Set("Retry-After", strconv.Itoa(int(ex.RetryAfter/time.Second)))
	s.errorStatus(w, r, http.StatusTooManyRequests)
	return true
}

// maxURLBytes bounds the request target (path and query); browsers and proxies stop near
// 8 KB too, and nothing the portal links to comes close.
const maxURLBytes = 8 << 10

// limitURL answers 414 to a request whose target is longer than maxURLBytes, before the
// session is loaded or any handler sees the URL.
func (s *Server) limitURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > maxURLBytes {
			s.plainError(w, http.StatusRequestURITooLong)
			return
		}
		next.ServeHTTP(w, r)
	})
}
