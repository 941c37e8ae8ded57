package cardreader_test

import (
	"context"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portal/internal/cardreader"
	"portal/internal/jp"
	"portal/internal/testdb"
)

// BenchmarkExport250k streams the CSV of 250,000 applications of one maker (the issue's
// target: at most 10 s, peak memory under 64 MiB). It reports the heap's high-water mark
// and the memory the Go runtime took from the OS while exporting.
//
//	go test -run '^$' -bench BenchmarkExport250k -benchtime 1x ./internal/cardreader/
func BenchmarkExport250k(b *testing.B) {
	ctx := context.Background()
	db := testdb.New(b)
	const n = 250000
	setup := []string{
		`INSERT INTO card_reader_models (maker, product) VALUES ('富士通Japan株式会社', 'Caora')`,
		`INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		 SELECT (g % 47) + 1, 1, lpad(g::text, 7, '0'), '診療所', 'ベンチマーク診療所' || g, '開設者' || g, '100-0013',
		        '東京都千代田区霞が関1-2-' || g, '03-0000-' || lpad((g % 10000)::text, 4, '0')
		 FROM generate_series(1, ` + itoa(n) + `) g`,
		`INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		 SELECT id, 'f' || id || '@example.jp', 'x', name, founder_name, phone, '担当者' FROM facilities`,
		`INSERT INTO cardreader_applications (reference, facility_id, account_id, intro_year, intro_month, online_claim)
		 SELECT 'CR000000-' || lpad(id::text, 6, '0'), facility_id, id, 2027, 4, '導入している' FROM accounts`,
		`INSERT INTO cardreader_application_items (application_id, slot, model_id, quantity)
		 SELECT a.id, 1, m.id, 1 FROM cardreader_applications a CROSS JOIN card_reader_models m`,
		`ANALYZE`,
	}
	for _, q := range setup {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	for _, enc := range []string{string(jp.UTF8BOM), string(jp.CP932)} {
		b.Run(enc, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var before runtime.MemStats
				runtime.ReadMemStats(&before)
				var peak atomic.Uint64
				stop := make(chan struct{})
				var wg sync.WaitGroup
				wg.Go(func() {
					var m runtime.MemStats
					t := time.NewTicker(5 * time.Millisecond)
					defer t.Stop()
					for {
						runtime.ReadMemStats(&m)
						if m.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse)
						}
						select {
						case <-stop:
							return
						case <-t.C:
						}
					}
				})
				cw := &countingWriter{}
				if err := cardreader.Export(ctx, db, cw, "富士通Japan株式会社", "", jp.Encoding(enc)); err != nil {
					b.Fatal(err)
				}
				close(stop)
				wg.Wait()
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				if cw.lines < n {
					b.Fatalf("exported %d lines, want %d", cw.lines, n)
				}
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(after.Sys)/(1<<20), "runtime-sys-MiB")
				b.ReportMetric(float64(cw.bytes)/(1<<20), "csv-MiB")
			}
		})
	}
}

type countingWriter struct {
	bytes int64
	lines int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.bytes += int64(len(p))
	for _, b := range p {
		if b == '\n' {
			c.lines++
		}
	}
	return io.Discard.Write(p)
}

func itoa(n int) string {
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
