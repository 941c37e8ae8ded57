package volume

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// exportsPerOperator is how many maker CSVs each operator downloaded in the year.
const exportsPerOperator = 50

// fillAudit writes the 操作履歴 of the last year, oldest first: the operators' delivery
// dates and shipping of the applications made before (with the application's history),
// maker CSV exports, and sign-ins and sign-outs for the rest of Counts.AuditEntries.
func fillAudit(ctx context.Context, tx pgx.Tx, g *gen) error {
	fromEvents := 0
	for _, a := range g.apps {
		if !a.delivery.IsZero() {
			fromEvents++
		}
		if !a.shipped.IsZero() {
			fromEvents++
		}
	}
	exports := min(len(g.operators)*exportsPerOperator, max(0, g.n.AuditEntries-fromEvents))
	rest := max(0, g.n.AuditEntries-fromEvents-exports)
	makers := make([]string, 0, len(g.models))
	for _, m := range g.models {
		makers = append(makers, m.maker)
	}
	if err := g.setSeed(ctx, tx); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `WITH sessions AS MATERIALIZED (
			SELECT p, $1::timestamptz - random() * interval '365 days' AS at,
			       ($2::bigint[])[1 + floor(random() * cardinality($2::bigint[]))::int] AS op,
			       random() * interval '9 hours' AS length
			FROM generate_series(1, ($3::int + 1) / 2) p)
		INSERT INTO audit_log (at, operator_id, action, target_type, target_id, detail)
		SELECT at, op, action, target_type, target_id, detail FROM (
			SELECT e.at, e.actor_id AS op, 'cardreader.delivery_date' AS action, 'cardreader_application' AS target_type,
			       e.application_id AS target_id, jsonb_build_object('date', e.detail) AS detail
			FROM cardreader_application_events e WHERE e.action = '配送予定日決定'
			UNION ALL
			SELECT e.at, e.actor_id, 'cardreader.shipped', 'cardreader_application', e.application_id, '{}'
			FROM cardreader_application_events e WHERE e.action = '発送済'
			UNION ALL
			SELECT $1::timestamptz - random() * interval '365 days', ($2::bigint[])[1 + floor(random() * cardinality($2::bigint[]))::int],
			       'cardreader.export', 'cardreader_maker', NULL,
			       jsonb_build_object('maker', ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int],
			                          'status', '', 'encoding', CASE WHEN random() < 0.7 THEN 'cp932' ELSE 'utf8' END)
			FROM generate_series(1, $5::int)
			UNION ALL
			SELECT CASE k WHEN 1 THEN s.at ELSE s.at + s.length END, s.op,
			       CASE k WHEN 1 THEN 'operator.signin' ELSE 'operator.signout' END, 'operator', s.op, '{}'
			FROM sessions s CROSS JOIN generate_series(1, 2) k
			WHERE (s.p - 1) * 2 + k <= $3::int
		) entries ORDER BY at`, g.now, g.operators, rest, makers, exports)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	if tag.RowsAffected() != int64(g.n.AuditEntries) && fromEvents <= g.n.AuditEntries {
		return fmt.Errorf("audit log: %d entries, want %d", tag.RowsAffected(), g.n.AuditEntries)
	}
	return nil
}

// setSeed makes PostgreSQL's random() in set-based steps follow the fill's seed.
func (g *gen) setSeed(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT setseed($1)`, float64(g.seed%1000)/1000)
	return err
}

// Titles and bodies of the documents the fund addresses to one facility.
var messageTitles = []string{
	"顔認証付きカードリーダーの配送日程について",
	"オンライン資格確認の導入状況に関するご確認",
	"補助金申請書類の不備について",
	"電子証明書の有効期限について",
	"アカウント登録内容のご確認のお願い",
}

const messageBody = "平素より、オンライン資格確認の導入にご協力いただき、誠にありがとうございます。\n" +
	"標記の件について、ご確認をお願いいたします。ご不明な点がございましたら、オンライン資格確認等コールセンター（0800-080-4583）までお問い合わせください。"

// fillMessages addresses Counts.Messages documents to facilities drawn at random, over the
// last eighteen months; most have been read.
func fillMessages(ctx context.Context, tx pgx.Tx, g *gen) error {
	if err := g.setSeed(ctx, tx); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO facility_messages (facility_id, title, body, sent_by, created_at, read_at)
		SELECT 1 + floor(random() * $1::int)::bigint, ($2::text[])[1 + floor(random() * cardinality($2::text[]))::int], $3,
		       ($4::bigint[])[1 + floor(random() * cardinality($4::bigint[]))::int], t,
		       CASE WHEN random() < 0.6 THEN least($5::timestamptz, t + random() * interval '3 days') END
		FROM (SELECT $5::timestamptz - random() * interval '540 days' AS t FROM generate_series(1, $6::int)) m
		ORDER BY t`, len(g.facilities), messageTitles, messageBody, g.operators, g.now, g.n.Messages)
	if err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	return nil
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
