package mail

import (
	"context"
	"slices"
	"testing"
	"time"

	"portal/internal/testdb"
)

// BenchmarkList500k pages through an outbox of 500,000 mails (the deadline-day volume of
// issue 10) with each filter the operators' page offers, from the newest page and from the
// oldest (issue 8 item 10: both under 100 ms at the 99th percentile). Each iteration is one
// List call (page and capped count in one round trip); p99-ms is over the iterations.
//
//	go test -run '^$' -bench BenchmarkList500k -benchtime 200x ./internal/mail/
func BenchmarkList500k(b *testing.B) {
	ctx := context.Background()
	db := testdb.New(b)
	setup := []string{
		`INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		 SELECT (g % 47) + 1, 1, lpad(g::text, 7, '0'), '診療所', 'ベンチマーク診療所' || g, '開設者', '1000013', '東京都千代田区', '03'
		 FROM generate_series(1, 250000) g`,
		// Half a year of mails, the text of an account mail each, mostly sent.
		`INSERT INTO mail_outbox (message_id, template, to_addr, subject, body, status, attempts, facility_id, created_at, sent_at)
		 SELECT md5(g::text), (ARRAY['cardreader_applied','password_reset_url','register_url','account_registered','email_changed'])[1 + g % 5],
		        'user' || g || '@clinic' || (g % 997) || '.example.jp', '件名', repeat('本文の一行です。', 60),
		        CASE WHEN g % 100 = 0 THEN 'failed' WHEN g % 250 = 1 THEN 'queued' ELSE 'sent' END, 1 + g % 3,
		        NULLIF(g % 250001, 0), now() - (g * interval '30 seconds'), now() - (g * interval '30 seconds')
		 FROM generate_series(1, 500000) g`,
		`ANALYZE`,
	}
	for _, q := range setup {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now()
	filters := []struct {
		name string
		f    Filter
	}{
		{"all", Filter{}},
		{"failed", Filter{Status: StatusFailed}},
		{"address", Filter{Address: "user123457@clinic322.example.jp"}},
		{"address-prefix", Filter{Address: "user1234", AddressPrefix: true}},
		{"facility", Filter{FacilityID: 4242}},
		{"template", Filter{Template: "password_reset_url"}},
		{"period", Filter{From: now.Add(-30 * 24 * time.Hour), Until: now.Add(-29 * 24 * time.Hour)}},
		{"failed-template-period", Filter{Status: StatusFailed, Template: "register_url", From: now.Add(-60 * 24 * time.Hour)}},
	}
	for _, c := range filters {
		for _, last := range []bool{false, true} {
			name := c.name + "/first"
			if last {
				name = c.name + "/last"
			}
			b.Run(name, func(b *testing.B) {
				var took []time.Duration
				for b.Loop() {
					start := time.Now()
					if _, err := List(ctx, db, ListQuery{Filter: c.f, Last: last}); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}
