package broadcast_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/testdb"
)

// BenchmarkEnqueue250k writes a broadcast to 250,000 accounts into the outbox, as the
// enqueue job does (chunks of 25,000, one INSERT … SELECT each), and reports the seconds
// it took and the mails per second. Figures: docs/benchmarks.md.
//
//	go test -run '^$' -bench Enqueue250k -benchtime 1x ./internal/broadcast
func BenchmarkEnqueue250k(b *testing.B) {
	const n = 250_000
	ctx := context.Background()
	db := testdb.New(b)
	seedAccounts(b, db, n)
	sv := supervisor(b, db)
	s := newService(b, db, false)
	if _, err := db.Exec(ctx, `VACUUM ANALYZE facilities`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, `VACUUM ANALYZE accounts`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	p, err := s.Preview(ctx, broadcast.Draft{Subject: "システム停止のお知らせ", Body: "12月1日 0:00～6:00 は停止します。", Audience: audience.Filter{}})
	if err != nil || p.Recipients != n {
		b.Fatalf("preview %d %v", p.Recipients, err)
	}
	preview := time.Since(start)
	var total, stop time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if _, err := db.Exec(ctx, `TRUNCATE mail_outbox CASCADE`); err != nil {
			b.Fatal(err)
		}
		id, err := s.Send(ctx, sv, p.Draft, fmt.Sprintf("bench-token-%016d", i))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0 := time.Now()
		if err := s.EnqueueAll(ctx, id); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
		b.StopTimer()
		if got := count(b, db, `SELECT count(*) FROM mail_outbox WHERE broadcast_id = $1`, id); got != n {
			b.Fatalf("%d mails written, want %d", got, n)
		}
		// Stopping it at once cancels all 250,000 in the supervisor's request.
		t1 := time.Now()
		if err := s.Stop(ctx, sv, id); err != nil {
			b.Fatal(err)
		}
		stop += time.Since(t1)
		b.StartTimer()
	}
	per := total / time.Duration(b.N)
	b.ReportMetric(per.Seconds(), "s/250k")
	b.ReportMetric(float64(n)/per.Seconds(), "mails/s")
	b.ReportMetric((stop / time.Duration(b.N)).Seconds(), "s-stop")
	b.ReportMetric(preview.Seconds()*1000, "ms-preview")
}
