package admin

import (
	"net/http"
	"time"

	"portal/internal/operator"
	"portal/internal/web/site"
)

// Between the password and the second factor the session holds only a pending sign-in:
// which operator, under which session version, since when, and where to go afterwards.
// None of it opens a back-office page; the operator session starts once the code is right.
const (
	sessPendingID      = "operator_pending_id"
	sessPendingVersion = "operator_pending_version"
	sessPendingAt      = "operator_pending_at"
	sessPendingNext    = "operator_pending_next"
)

// pendingFor is how long the code step waits after the password: long enough to find the
// phone, short enough that a password left behind on a shared screen goes stale.
const pendingFor = 10 * time.Minute

// pendingSignIn is a sign-in waiting for its second factor.
type pendingSignIn struct {
	ID      int64
	Version int
	Next    string
}

// startPending keeps o's sign-in pending on a fresh session token, dropping any other
// principal of the session (a half-signed-in session is nobody).
func (h *Handler) startPending(r *http.Request, o operator.Operator, next string) error {
	ctx := r.Context()
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.DropUser(r)
	h.Sessions.Remove(ctx, site.SessOperatorID)
	h.Sessions.Remove(ctx, site.SessOperatorVersion)
	h.Sessions.Put(ctx, sessPendingID, o.ID)
	h.Sessions.Put(ctx, sessPendingVersion, o.SessionVersion)
	h.Sessions.Put(ctx, sessPendingAt, time.Now().Unix())
	h.Sessions.Put(ctx, sessPendingNext, next)
	return nil
}

// pending returns the session's pending sign-in; ok is false when there is none or it
// went stale (then it is dropped).
func (h *Handler) pending(r *http.Request) (p pendingSignIn, ok bool) {
	ctx := r.Context()
	p = pendingSignIn{ID: h.Sessions.GetInt64(ctx, sessPendingID), Version: h.Sessions.GetInt(ctx, sessPendingVersion),
		Next: site.AdminNext(h.Sessions.GetString(ctx, sessPendingNext))}
	if p.ID == 0 {
		return p, false
	}
	if at := time.Unix(h.Sessions.GetInt64(ctx, sessPendingAt), 0); time.Since(at) > pendingFor || time.Until(at) > time.Minute {
		h.dropPending(r)
		return p, false
	}
	return p, true
}

// dropPending forgets the pending sign-in.
func (h *Handler) dropPending(r *http.Request) {
	ctx := r.Context()
	for _, k := range []string{sessPendingID, sessPendingVersion, sessPendingAt, sessPendingNext} {
		h.Sessions.Remove(ctx, k)
	}
}

// restart sends the browser back to the password step, saying why.
func (h *Handler) restart(w http.ResponseWriter, r *http.Request, msg string) {
	h.dropPending(r)
	h.Flash(r, msg)
	http.Redirect(w, r, site.AdminLoginPath, http.StatusSeeOther)
}
