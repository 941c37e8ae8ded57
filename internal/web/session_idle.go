package web

import (
	"net/http"
	"time"
)

// sessSeenAt is when the session was last seen, in Unix seconds, refreshed at most once a
// minute: enough to end idle sessions, without a session write on every page view.
const (
	sessSeenAt  = "seen_at"
	seenAtEvery = 60 // seconds
)

// idleTimeout ends a session unused for longer than SESSION_IDLE_TIMEOUT; the absolute
// lifetime is scs's Lifetime. A session with nothing in it is left alone (no row exists).
func (s *Server) idleTimeout(next http.Handler) http.Handler {
	idle := int64(s.Config.SessionIdle / time.Second)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		seen := s.Sessions.GetInt64(ctx, sessSeenAt)
		if seen != 0 || len(s.Sessions.Keys(ctx)) > 0 {
			now := time.Now().Unix()
			switch {
			case seen != 0 && now-seen > idle:
				if err := s.Sessions.Destroy(ctx); err != nil {
					s.ServerError(w, r, err)
					return
				}
			case seen == 0 || now-seen >= seenAtEvery:
				s.Sessions.Put(ctx, sessSeenAt, now)
			}
		}
		next.ServeHTTP(w, r)
	})
}
