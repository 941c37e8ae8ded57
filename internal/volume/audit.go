package volume

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/cardreader"
	"portal/internal/certificate"
	"portal/internal/operator"
	"portal/internal/pref"
	"portal/internal/qualification"
)

// auditRow is one 操作履歴 entry as operator.Record writes it.
type auditRow struct {
	at       time.Time
	op       int64
	action   string
	target   string
	targetID int64 // 0: no single target (NULL)
	detail   map[string]any
}

// record notes an operator's step for the audit trail, in the words of the step's service.
func (g *gen) record(at time.Time, op int64, action, target string, targetID int64, detail map[string]any) {
	g.audit = append(g.audit, auditRow{at: at, op: op, action: action, target: target, targetID: targetID, detail: detail})
}

// exportsPerOperator is how many CSV exports each operator made in the year.
const exportsPerOperator = 50

// fillAudit writes the 操作履歴 of the last two years, oldest first: every step the
// operators took in the earlier steps, the CSV exports of each application list, and
// sign-ins and sign-outs (operator.signin after the second factor, operator.signout) for
// the rest of Counts.AuditEntries.
func fillAudit(ctx context.Context, tx pgx.Tx, g *gen) error {
	rows := g.audit
	g.audit = nil
	makers := make([]string, 0, len(g.models))
	for _, m := range g.models {
		if !slices.Contains(makers, m.maker) {
			makers = append(makers, m.maker)
		}
	}
	yearAgo := g.now.AddDate(-1, 0, 0)
	encoding := func() string {
		if g.chance(0.7) {
			return "cp932"
		}
		return "utf8"
	}
	for range min(len(g.operators)*exportsPerOperator, max(0, g.n.AuditEntries-len(rows))) {
		at, op := g.between(yearAgo, g.now), g.pickOp()
		switch r := g.rng.Float64(); {
		case r < 0.6:
			status := ""
			if g.chance(0.5) {
				status = cardreader.StatusReceived
			}
			g.record(at, op, cardreader.AuditExport, "cardreader_maker", 0,
				map[string]any{"maker": pick(g, makers), "status": status, "encoding": encoding()})
		case r < 0.8:
			g.record(at, op, qualification.AuditExport, "qualification_application", 0,
				map[string]any{"status": qualification.StatusSubmitted, "prefecture": 0, "kind": "", "encoding": encoding()})
		default:
			g.record(at, op, certificate.AuditExport, "certificate", 0,
				map[string]any{"status": certificate.StatusRequested, "prefecture": 1 + g.rng.IntN(47), "kind": pick(g, pref.Kinds()), "encoding": encoding()})
		}
	}
	rows = append(rows, g.audit...)
	g.audit = nil
	// A working day of an operator: signed in with the second factor, out up to 9 hours
	// later; the last one is still signed in.
	for len(rows) < g.n.AuditEntries {
		op := g.pickOp()
		in := g.between(g.now.AddDate(-2, 0, 0), g.now.Add(-time.Hour))
		if len(rows)+1 == g.n.AuditEntries {
			in = g.between(g.now.Add(-time.Hour), g.now)
		}
		rows = append(rows, auditRow{at: in, op: op, action: operator.ActionSignIn, target: operator.TargetOperator, targetID: op})
		if len(rows) < g.n.AuditEntries {
			rows = append(rows, auditRow{at: minTime(in.Add(time.Duration(g.rng.Int64N(int64(9*time.Hour)))), g.now), op: op,
				action: operator.ActionSignOut, target: operator.TargetOperator, targetID: op})
		}
	}
	slices.SortStableFunc(rows, func(a, b auditRow) int { return a.at.Compare(b.at) })
	empty := []byte("{}")
	return g.copyRows(ctx, tx, "audit_log", []string{"at", "operator_id", "action", "target_type", "target_id", "detail"},
		len(rows), func(i int) ([]any, error) {
			r := rows[i]
			detail := empty
			if r.detail != nil {
				var err error
				if detail, err = json.Marshal(r.detail); err != nil {
					return nil, err
				}
			}
			var target any
			if r.targetID != 0 {
				target = r.targetID
			}
			var op any
			if r.op != 0 {
				op = r.op
			}
			return []any{r.at, op, r.action, r.target, target, string(detail)}, nil
		})
}

// setSeed makes PostgreSQL's random() in set-based steps follow the fill's seed.
func (g *gen) setSeed(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT setseed($1)`, float64(g.seed%1000)/1000)
	return err
}

// fillTokens writes the mailed links of the last week (registration and password reset,
// most used; older ones are pruned by the portal) and the failure counters of logins
// with recent failed sign-ins.
func fillTokens(ctx context.Context, tx pgx.Tx, g *gen) error {
	if err := g.setSeed(ctx, tx); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO account_tokens (purpose, token_hash, email, account_id, created_at, expires_at, used_at)
		SELECT purpose, sha256(convert_to('volume-link-' || n || '-' || $4::text, 'UTF8')), email, account_id, t,
		       t + CASE purpose WHEN 'register' THEN interval '24 hours' ELSE interval '1 hour' END,
		       CASE WHEN random() < 0.7 THEN t + random() * interval '50 minutes' END
		FROM (SELECT n, $1::timestamptz - random() * interval '7 days' AS t,
		             CASE WHEN n % 5 < 3 THEN 'register' ELSE 'password_reset' END AS purpose,
		             CASE WHEN n % 5 < 3 THEN NULL ELSE 1 + (n * 7919) % $2::int END AS account_id
		      FROM generate_series(1, $3::int) n) l
		LEFT JOIN LATERAL (SELECT coalesce((SELECT email FROM accounts WHERE id = l.account_id),
		                                   'new' || l.n || '@clinic.example.jp') AS email) e ON true
		ORDER BY t`, g.now, len(g.accounts), g.n.Tokens, fmt.Sprint(g.seed))
	if err != nil {
		return fmt.Errorf("links: %w", err)
	}
	// Counters of real logins stay under the limit, so every volume account can sign in;
	// the locked logins are addresses nobody has (guesses).
	_, err = tx.Exec(ctx, `INSERT INTO login_throttle (login, failures, window_start, locked_until)
		SELECT CASE WHEN locked THEN 'guess' || n || '@' || $4::text ELSE lower(a.email) END,
		       CASE WHEN locked THEN 5 ELSE 1 + floor(random() * 4)::int END, w,
		       CASE WHEN locked THEN $1::timestamptz + random() * interval '15 minutes' END
		FROM (SELECT n, 1 + (n * 104729) % $2::int AS id, n % 10 = 0 AS locked,
		             $1::timestamptz - random() * interval '20 hours' AS w
		      FROM generate_series(1, $3::int) n) t
		JOIN accounts a ON a.id = t.id
		ON CONFLICT (login) DO NOTHING`, g.now, len(g.accounts), g.n.Throttles, EmailDomain)
	if err != nil {
		return fmt.Errorf("sign-in failures: %w", err)
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
