package cardreader

import (
	"context"
	"slices"
	"testing"
	"time"

	"portal/internal/listing"
	"portal/internal/testdb"
)

// BenchmarkList150k pages through 150,000 card reader applications (issue 8 item 10) in
// every offered sort, unfiltered and with each filter and kind of search the operators'
// page offers, from the first page and from the last: both must stay under 100 ms at the
// 99th percentile. Each iteration is one List call as the page makes it (the capped count
// and a page of 50); p99-ms is over the iterations.
//
//	go test -run '^$' -bench BenchmarkList150k -benchtime 100x ./internal/cardreader/
func BenchmarkList150k(b *testing.B) {
	ctx := context.Background()
	db := testdb.New(b)
	setup := []string{
		`INSERT INTO card_reader_models (maker, product, sort_order)
		 SELECT 'メーカー' || m, '製品' || m, m FROM generate_series(1, 5) m`,
		// 150,000 facilities: 3 % hospitals, a quarter pharmacies, the rest clinics, over
		// the 47 prefectures.
		`INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		 SELECT (g % 47) + 1, CASE WHEN g % 4 = 0 THEN 4 ELSE 1 END, lpad(g::text, 7, '0'),
		        CASE WHEN g % 33 = 0 THEN '病院' WHEN g % 4 = 0 THEN '薬局' ELSE '診療所' END,
		        'ベンチ' || CASE WHEN g % 4 = 0 THEN '薬局' ELSE 'クリニック' END || g, '開設者', '1000013', '東京都千代田区霞が関1-2-2', '03-0000-0000'
		 FROM generate_series(1, 150000) g`,
		`INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		 SELECT id, 'b' || id || '@example.jp', 'x', name, '開設者', '03-0000-0000', '担当' FROM facilities`,
		// Half a year of applications: 60 % 受付済, 25 % 配送予定日決定, 12 % 発送済, 3 % 取消.
		`INSERT INTO cardreader_applications (reference, facility_id, account_id, status, intro_year, intro_month, online_claim,
		        delivery_date, shipped_at, cancelled_at, created_at, updated_at)
		 SELECT 'CR' || to_char(now() - g * interval '100 seconds', 'YYMMDD') || '-' || lpad(g::text, 6, '0'), a.facility_id, a.id, s.status,
		        2027, 4, '導入している',
		        CASE WHEN s.status IN ('配送予定日決定', '発送済') THEN current_date + (g % 300)::int END,
		        CASE WHEN s.status = '発送済' THEN now() END, CASE WHEN s.status = '取消' THEN now() END,
		        now() - g * interval '100 seconds', now()
		 FROM accounts a, LATERAL (SELECT a.id AS g) x,
		      LATERAL (SELECT CASE WHEN g % 100 < 60 THEN '受付済' WHEN g % 100 < 85 THEN '配送予定日決定'
		                           WHEN g % 100 < 97 THEN '発送済' ELSE '取消' END AS status) s`,
		`INSERT INTO cardreader_application_items (application_id, slot, model_id, quantity)
		 SELECT a.id, 1, m.id, 1 FROM cardreader_applications a JOIN card_reader_models m ON m.sort_order = 1 + a.id % 5`,
		// As autovacuum leaves a table after a bulk load: statistics and the visibility map.
		`VACUUM ANALYZE`,
	}
	for _, q := range setup {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var ref, code string
	if err := db.QueryRow(ctx, `SELECT reference, facility_code FROM cardreader_applications WHERE id = 123457`).Scan(&ref, &code); err != nil {
		b.Fatal(err)
	}
	filters := []struct {
		name string
		f    Filter
	}{
		{"all", Filter{}},
		{"status-received", Filter{Status: StatusReceived}},
		{"status-cancelled", Filter{Status: StatusCancelled}},
		{"prefecture", Filter{Prefecture: 47}},
		{"hospitals", Filter{Kind: "病院"}},
		{"maker", Filter{Maker: "メーカー3"}},
		{"shipped-hospitals-in-47", Filter{Status: StatusShipped, Kind: "病院", Prefecture: 47}},
		{"search-reference", Filter{Query: ref}},
		{"search-code10", Filter{Query: code}},
		{"search-code7", Filter{Query: code[3:]}},
		{"search-name-common", Filter{Query: "薬局"}},
		{"search-name-rare", Filter{Query: "クリニック12345"}},
	}
	for _, c := range filters {
		for _, sort := range SortKeys() {
			for _, last := range []bool{false, true} {
				name := c.name + "/" + sort + "/first"
				if last {
					name = c.name + "/" + sort + "/last"
				}
				f := c.f
				f.Sort = sort
				b.Run(name, func(b *testing.B) {
					var took []time.Duration
					for b.Loop() {
						start := time.Now()
						if _, err := List(ctx, db, ListRequest{Filter: f, CursorRequest: listing.CursorRequest{Last: last, Limit: 50}}); err != nil {
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
}
