package account_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/testdb"
)

// BenchmarkProvisionalIssue250k issues letters for a master of 250,000 facilities (the
// scale of SPEC §8), written to a real file and synced, against the real database. The
// target is at most 60 s on the 2-core machine; docs/benchmarks.md records it.
//
//	go test -run '^$' -bench ProvisionalIssue250k -benchtime 1x -timeout 30m ./internal/account/
func BenchmarkProvisionalIssue250k(b *testing.B) {
	const n = 250_000
	ctx := b.Context()
	db := testdb.New(b)
	tables := []int{1, 1, 3, 4} // roughly the master's mix of 医科, 歯科 and 調剤
	kinds := map[int]string{1: "診療所", 3: "診療所", 4: "薬局"}
	_, err := db.CopyFrom(ctx, pgx.Identifier{"facilities"},
		[]string{"prefecture_code", "score_table_code", "code", "kind", "name", "founder_name", "postal_code", "address", "phone"},
		pgx.CopyFromSlice(n, func(i int) ([]any, error) {
			table := tables[i%len(tables)]
			return []any{1 + i%47, table, fmt.Sprintf("%07d", i), kinds[table], fmt.Sprintf("ベンチマーク医療機関%06d", i),
				"医療法人社団ベンチマーク会 理事長 山田太郎", "1000013", "東京都千代田区霞が関一丁目2番2号 中央合同庁舎第5号館",
				"03-0000-0000"}, nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, `ANALYZE facilities`); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("letters-%d.csv", i)))
		if err != nil {
			b.Fatal(err)
		}
		res, err := account.IssueLetters(ctx, db, testKey, f, account.BatchOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		if res.Issued != n {
			b.Fatalf("issued %d letters, want %d", res.Issued, n)
		}
		b.StopTimer()
		if _, err := db.Exec(ctx, `TRUNCATE provisional_credentials`); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/batch")
}
