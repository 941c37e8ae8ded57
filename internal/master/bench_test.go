package master

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"portal/internal/testdb"
)

// masterCSV generates n valid rows spread over every prefecture, 点数表 and 施設種別, as the
// fund's file would be (about 250,000 facilities nationwide).
func masterCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	kinds := []struct {
		table int
		kind  string
	}{{1, "病院"}, {1, "診療所"}, {3, "診療所"}, {3, "病院"}, {4, "薬局"}}
	for i := range n {
		k := kinds[i%len(kinds)]
		p := i%47 + 1
		fmt.Fprintf(&b, "%02d,%d,%07d,%s,デモ医療機関%d,見本 太郎%d,100-%04d,千代田区霞が関%d-%d,03-%04d-%04d,%d,0\n",
			p, k.table, i, k.kind, i, i, i%10000, i%9+1, i%99+1, i/10000, i%10000, boolInt(k.kind == "薬局" && i%7 == 0))
	}
	return b.Bytes()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkImport250k imports a 250,000-row master into an empty table.
func BenchmarkImport250k(b *testing.B) {
	const n = 250_000
	ctx := context.Background()
	pool := testdb.New(b)
	file := masterCSV(n)
	b.SetBytes(int64(len(file)))
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		if _, err := pool.Exec(ctx, "TRUNCATE facilities CASCADE"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := Import(ctx, pool, bytes.NewReader(file))
		if err != nil {
			b.Fatal(err)
		}
		if res.Inserted != n {
			b.Fatalf("inserted %d, want %d", res.Inserted, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParse250k is the check alone, without the database.
func BenchmarkParse250k(b *testing.B) {
	file := masterCSV(250_000)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
}
