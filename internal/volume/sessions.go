package volume

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/session"
)

// Session keys and value types as internal/web writes them (site/user.go, site/admin.go,
// session_idle.go): a session a volume fill writes is one the portal reads. The volume
// test opens pages with such sessions, so a renamed key shows up there.
const (
	sessAccountID       = session.KeyAccountID       // int64
	sessSessionVersion  = "session_version"          // int: the account's
	sessOperatorID      = "operator_id"              // int64
	sessOperatorVersion = "operator_session_version" // int: the operator's
	sessSeenAt          = "seen_at"                  // int64, Unix seconds
)

// sessionLifetime is SESSION_LIFETIME's default: every volume session ends within it.
const sessionLifetime = 12 * time.Hour

// fillSessions writes Counts.Sessions live sessions: facilities signed in on one or more
// computers, and the operators'. They were last seen within the hour, so some have passed
// the 30-minute idle time-out and end at their next request, as on a real day. The store
// (internal/session) keeps a facility session's account beside its data, which is how the
// principal is found with the session in one query; so does the fill.
func fillSessions(ctx context.Context, tx pgx.Tx, g *gen) error {
	operatorSessions := min(len(g.operators)*3, g.n.Sessions/20)
	codec := session.Codec{}
	token := make([]byte, 32)
	return g.copyRows(ctx, tx, "sessions", []string{"token", "data", "expiry", "account_id"}, g.n.Sessions, func(i int) ([]any, error) {
		for j := range token {
			token[j] = byte(g.rng.Uint32())
		}
		started := g.between(g.now.Add(-sessionLifetime), g.now.Add(-time.Minute))
		seen := g.between(maxTime(started, g.now.Add(-time.Hour)), g.now)
		values := map[string]any{sessSeenAt: seen.Unix()}
		var account any
		if i < operatorSessions {
			o := g.operators[i%len(g.operators)]
			values[sessOperatorID] = o.id
			values[sessOperatorVersion] = o.version
		} else {
			ai := g.rng.IntN(len(g.accounts))
			values[sessAccountID] = int64(ai + 1)
			values[sessSessionVersion] = g.accounts[ai].version
			account = int64(ai + 1)
		}
		expiry := started.Add(sessionLifetime)
		data, err := codec.Encode(expiry, values)
		if err != nil {
			return nil, err
		}
		return []any{base64.RawURLEncoding.EncodeToString(token), data, expiry, account}, nil
	})
}
