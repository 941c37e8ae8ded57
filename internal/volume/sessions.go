package volume

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
)

// Session keys and value types as internal/web writes them (auth.go, admin_auth.go,
// session_idle.go): a session a volume fill writes is one the portal reads. The volume
// test signs in with such a session, so a renamed key shows up there.
const (
	sessAccountID      = "account_id"      // int64
	sessSessionVersion = "session_version" // int
	sessOperatorID     = "operator_id"     // int64
	sessSeenAt         = "seen_at"         // int64, Unix seconds
)

// sessionLifetime is SESSION_LIFETIME's default: every volume session ends within it.
const sessionLifetime = 12 * time.Hour

// fillSessions writes Counts.Sessions live sessions: facilities signed in on one or more
// computers, and the operators'. They were last seen within the hour, so some have passed
// the 30-minute idle time-out and end at their next request, as on a real day.
func fillSessions(ctx context.Context, tx pgx.Tx, g *gen) error {
	operatorSessions := min(len(g.operators)*3, g.n.Sessions/20)
	codec := scs.GobCodec{}
	token := make([]byte, 32)
	return g.copyRows(ctx, tx, "sessions", []string{"token", "data", "expiry"}, g.n.Sessions, func(i int) ([]any, error) {
		for j := range token {
			token[j] = byte(g.rng.Uint32())
		}
		started := g.between(g.now.Add(-sessionLifetime), g.now.Add(-time.Minute))
		seen := g.between(maxTime(started, g.now.Add(-time.Hour)), g.now)
		values := map[string]any{sessSeenAt: seen.Unix()}
		if i < operatorSessions {
			values[sessOperatorID] = g.operators[i%len(g.operators)]
		} else {
			ai := g.rng.IntN(len(g.accounts))
			values[sessAccountID] = int64(ai + 1)
			values[sessSessionVersion] = g.accounts[ai].version
		}
		expiry := started.Add(sessionLifetime)
		data, err := codec.Encode(expiry, values)
		if err != nil {
			return nil, err
		}
		return []any{base64.RawURLEncoding.EncodeToString(token), data, expiry}, nil
	})
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
