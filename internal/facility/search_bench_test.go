package facility_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/facility"
	"portal/internal/testdb"
)

// benchNames are the parts the benchmark's facility names are made of: common family and
// place names, in kanji and in kana, and the endings of each kind, so that the two-character
// pieces of the names are as crowded as the real master's (クリニック, 薬局, 医院…).
var (
	benchFamilies = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口",
		"松本", "井上", "木村", "林", "斎藤", "清水", "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川", "前田",
		"岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "斉藤", "福田", "太田", "西村", "藤井", "金子", "岡本",
		"藤原", "三浦", "中野", "中川", "原田", "松田", "竹内", "小野", "田村", "中山", "和田", "石田", "森田", "上田", "原", "内田",
		"柴田", "酒井", "宮崎", "横山", "高木", "安藤", "宮本", "大野", "小島", "工藤", "谷口", "今井", "高田", "丸山", "増田", "杉山",
		"村田", "大塚", "新井", "小山", "平野", "藤本", "河野", "上野", "野口", "武田", "松井", "千葉", "岩崎", "菅原", "木下", "久保",
		"札幌", "仙台", "横浜", "名古屋", "京都", "大阪", "神戸", "広島", "福岡", "那覇", "霞が関", "駅前", "中央", "本町", "緑が丘",
		"さくら", "ひまわり", "すずらん", "あおば", "みどり", "サトウ", "タナカ", "ヤマダ", "スズキ", "アイン", "クオール", "日本調剤"}
	benchEndings = map[string][]string{
		"病院":  {"病院", "記念病院", "中央病院", "総合病院"},
		"診療所": {"クリニック", "内科クリニック", "医院", "内科医院", "歯科医院", "歯科クリニック", "整形外科", "眼科", "皮膚科クリニック", "小児科"},
		"薬局":  {"薬局", "調剤薬局", "ファーマシー", "駅前薬局"},
	}
	benchPrefixes = []string{"", "", "", "医療法人", "医療法人社団", "医療法人財団", "社会医療法人", "株式会社"}
)

// benchFacility is the n-th facility's name and kind, as benchWorld loads them.
func benchFacility(n int) (name, kind string) {
	kind = []string{"病院", "診療所", "診療所", "診療所", "診療所", "診療所", "診療所", "薬局", "薬局"}[n%9]
	fam := benchFamilies[(n*7919)%len(benchFamilies)]
	end := benchEndings[kind][(n/9)%len(benchEndings[kind])]
	pre := benchPrefixes[(n/13)%len(benchPrefixes)]
	if pre != "" && n%3 == 0 {
		return fmt.Sprintf("%s%s会 %s%s", pre, fam, fam, end), kind
	}
	return fmt.Sprintf("%s%s", fam, end), kind
}

// benchWorld loads 250,000 facilities, 200,000 of them with accounts, 20,000 with live
// letters and 50,000 with a 利用申請, through COPY, and ANALYZEs them.
func benchWorld(b *testing.B, n int) *pgxpool.Pool {
	b.Helper()
	ctx := context.Background()
	db := testdb.New(b)
	rows := make([][]any, n)
	for i := range n {
		name, kind := benchFacility(i)
		table := 1
		switch {
		case kind == "薬局":
			table = 4
		case strings.Contains(name, "歯科"):
			table = 3
		}
		rows[i] = []any{int16(i%47 + 1), int16(table), fmt.Sprintf("%07d", i), kind, name, "開設者" + fmt.Sprint(i), "100-0013",
			"千代田区霞が関1-" + fmt.Sprint(i%99), fmt.Sprintf("0%d-%04d-%04d", 3+i%7, i/10000, i%10000)}
	}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"facilities"}, []string{"prefecture_code", "score_table_code", "code", "kind", "name",
		"founder_name", "postal_code", "address", "phone"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO accounts (facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		 SELECT id, 'user' || id || '@clinic' || (id % 997) || '.example.jp', 'x',
		        CASE WHEN id % 10 = 0 THEN name || ' 本院' ELSE name END, founder_name,
		        '090-' || lpad((id % 10000)::text, 4, '0') || '-' || lpad((id / 10000)::text, 4, '0'), '受付'
		 FROM facilities WHERE id % 5 <> 0`,
		`INSERT INTO provisional_credentials (facility_id, login_id, secret_hash)
		 SELECT id, score_table_code || code || '0@' || lpad(prefecture_code::text, 2, '0'), '\x00'
		 FROM facilities WHERE id % 5 = 0 AND id % 10 = 5`,
		`INSERT INTO qualification_applications (reference, facility_id, account_id, status, line_type, provider, start_year, start_month)
		 SELECT 'QA261201-' || lpad(a.id::text, 6, '0'), a.facility_id, a.id, '申請中', 'IPsec+IKE接続方式', '富士通株式会社', 2027, 4
		 FROM accounts a WHERE a.id % 4 = 0`,
		`ANALYZE`,
	} {
		if _, err := db.Exec(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkSearch250k searches 250,000 facilities (200,000 with accounts) the ways a caller
// is looked up, each case cycling through its own queries; p99-ms is the 99th percentile of
// one whole Search (every reading's queries and the results' rows).
//
//	go test -run '^$' -bench BenchmarkSearch250k -benchtime 300x -timeout 30m ./internal/facility/
func BenchmarkSearch250k(b *testing.B) {
	const n = 250_000
	db := benchWorld(b, n)
	svc := facility.NewService(db, secret, "https://portal.example.jp")
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(count int, f func(i int) string) []string {
		out := make([]string, count)
		for k := range out {
			out[k] = f(r.IntN(n))
		}
		return out
	}
	fullWidth := func(s string) string {
		return strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return c - '0' + '０'
			}
			if c == '-' {
				return '－'
			}
			return c
		}, s)
	}
	cases := []struct {
		name    string
		queries []string
	}{
		{"code7", pick(100, func(i int) string { return fmt.Sprintf("%07d", i) })},
		{"code10", pick(100, func(i int) string {
			_, kind := benchFacility(i)
			t := 1
			if kind == "薬局" {
				t = 4
			}
			return fmt.Sprintf("%02d%d%07d", i%47+1, t, i)
		})},
		{"phone-fullwidth", pick(100, func(i int) string { return fullWidth(fmt.Sprintf("0%d-%04d-%04d", 3+i%7, i/10000, i%10000)) })},
		{"email", pick(100, func(i int) string { id := i + 1; return fmt.Sprintf("USER%d@clinic%d.example.jp", id, id%997) })},
		{"reference", pick(100, func(i int) string { return fmt.Sprintf("qa261201-%06d", (i/4+1)*4) })},
		{"name-whole", pick(100, func(i int) string { name, _ := benchFacility(i); return name })},
		{"name-part", pick(100, func(i int) string { return benchFamilies[(i*7919)%len(benchFamilies)] + "内科" })},
		{"name-crowded", []string{"クリニック", "薬局", "病院", "医療法人", "歯科", "内科"}},
		{"name-kana", []string{"さとうくりにっく", "ﾀﾅｶ ﾔｯｷｮｸ", "ひまわり", "スズキ医院", "さくら薬局"}},
		{"none", []string{"該当のない名前", "ぱぴぷぺぽ", "0123456"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			i := 0
			for b.Loop() {
				q := c.queries[i%len(c.queries)]
				i++
				start := time.Now()
				if _, err := svc.Search(ctx, q); err != nil {
					b.Fatalf("%q: %v", q, err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
