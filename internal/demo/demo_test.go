package demo_test

import (
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/config"
	"portal/internal/demo"
	"portal/internal/operator"
	"portal/internal/password"
	"portal/internal/postal"
	"portal/internal/testdb"
)

type counts map[string]int

func tableCounts(t *testing.T, pool *pgxpool.Pool) counts {
	t.Helper()
	c := counts{}
	for _, table := range []string{"facilities", "operators", "news", "card_reader_models", "demo_seed"} {
		var n int
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		c[table] = n
	}
	return c
}

func TestSeedTwiceChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)

	res, err := demo.Seed(ctx, pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != len(demo.Steps) || len(res.Skipped) != 0 {
		t.Fatalf("first seed: %+v", res)
	}
	first := tableCounts(t, pool)
	if first["facilities"] < 40 || first["operators"] != 2 || first["news"] == 0 || first["card_reader_models"] == 0 ||
		first["demo_seed"] != len(demo.Steps) {
		t.Fatalf("after first seed: %v", first)
	}

	res, err = demo.Seed(ctx, pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Applied) != 0 || len(res.Skipped) != len(demo.Steps) {
		t.Fatalf("second seed: %+v", res)
	}
	if second := tableCounts(t, pool); len(second) != len(first) || second["facilities"] != first["facilities"] ||
		second["operators"] != first["operators"] || second["news"] != first["news"] ||
		second["card_reader_models"] != first["card_reader_models"] || second["demo_seed"] != first["demo_seed"] {
		t.Fatalf("second seed changed counts: %v → %v", first, second)
	}
	// Logins are printed on every run, not only the first.
	if len(res.Logins) < 2 {
		t.Fatalf("logins: %+v", res.Logins)
	}
}

func TestSeedRunsOnlyMissingSteps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if _, err := demo.Seed(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	// As if "operators" had been added to Steps after this database was seeded.
	if _, err := pool.Exec(ctx, "DELETE FROM demo_seed WHERE step = 'operators'"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "DELETE FROM operators WHERE login = 'operator'"); err != nil {
		t.Fatal(err)
	}
	res, err := demo.Seed(ctx, pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Applied, ",") != "operators" {
		t.Fatalf("applied %v", res.Applied)
	}
	if c := tableCounts(t, pool); c["operators"] != 2 {
		t.Fatalf("operators = %d", c["operators"])
	}
}

func TestSeedOperatorsCanSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	res, err := demo.Seed(ctx, pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"operator": "operator", "supervisor": "supervisor"}
	for _, l := range res.Logins {
		role, ok := want[l.Login]
		if !ok {
			continue
		}
		delete(want, l.Login)
		var hash, gotRole string
		if err := pool.QueryRow(ctx, "SELECT password_hash, role FROM operators WHERE login = $1", l.Login).
			Scan(&hash, &gotRole); err != nil {
			t.Fatalf("%s: %v", l.Login, err)
		}
		if ok, err := password.Verify(hash, l.Password); err != nil || !ok {
			t.Fatalf("%s: printed password does not verify (%v)", l.Login, err)
		}
		if gotRole != role {
			t.Fatalf("%s has role %s", l.Login, gotRole)
		}
		// The second factor is the published development secret.
		cfg, err := config.Load(os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now()
		code, err := operator.CurrentCode(ctx, pool, cfg.SessionSecret, l.Login, at)
		want, _ := operator.CodeAt(demo.DemoTOTPSecret, at)
		if err != nil || code != want || l.TOTPSecret != demo.DemoTOTPSecret {
			t.Fatalf("%s: code %q %v, want %q from the printed secret %q", l.Login, code, err, want, l.TOTPSecret)
		}
	}
	if len(want) > 0 {
		t.Fatalf("no printed login for %v", want)
	}
}

func TestDemoMasterCoversEveryKindAndScoreTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if _, err := demo.Seed(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT kind, score_table_code, count(*), count(DISTINCT prefecture_code),
			count(*) FILTER (WHERE large_chain_pharmacy), count(*) FILTER (WHERE dental_hospital_with_medical)
		FROM facilities GROUP BY kind, score_table_code`)
	if err != nil {
		t.Fatal(err)
	}
	type group struct{ n, prefs, chain, dentalWithMedical int }
	got := map[string]group{}
	for rows.Next() {
		var (
			kind  string
			table int
			g     group
		)
		if err := rows.Scan(&kind, &table, &g.n, &g.prefs, &g.chain, &g.dentalWithMedical); err != nil {
			t.Fatal(err)
		}
		got[kind+string(rune('0'+table))] = g
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"病院1", "病院3", "診療所1", "診療所3", "薬局4"} {
		if got[key].n < 3 || got[key].prefs < 3 {
			t.Errorf("%s: %+v, want at least 3 facilities in 3 prefectures", key, got[key])
		}
	}
	if len(got) != 5 {
		t.Errorf("groups %v", got)
	}
	if got["薬局4"].chain == 0 || got["薬局4"].chain == got["薬局4"].n {
		t.Errorf("pharmacies need both 大型チェーン薬局 and others: %+v", got["薬局4"])
	}
	if got["病院3"].dentalWithMedical == 0 || got["病院3"].dentalWithMedical == got["病院3"].n {
		t.Errorf("dental hospitals need both 医科併設 and not: %+v", got["病院3"])
	}
	// A 医科併設歯科病院 has its 医科 twin under the same code (FAQ Q2: two facilities).
	var orphans int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM facilities d WHERE d.dental_hospital_with_medical
		AND NOT EXISTS (SELECT 1 FROM facilities m WHERE m.prefecture_code = d.prefecture_code
			AND m.code = d.code AND m.score_table_code = 1)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("医科併設歯科病院 without 医科: %d (%v)", orphans, err)
	}
}

// TestDemoAddressesAreReal checks every demo postal code against Japan Post's data: the
// address must begin with the prefecture, city and town the code belongs to.
func TestDemoAddressesAreReal(t *testing.T) {
	t.Parallel()
	snap, err := postal.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("facilities.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		code, addr := strings.ReplaceAll(r[6], "-", ""), r[7]
		found := false
		for _, a := range snap.Lookup(code) {
			found = found || strings.HasPrefix(addr, a.Prefecture+a.City+a.Town)
		}
		if !found {
			t.Errorf("%s: 〒%s %s does not match Japan Post's %v", r[4], r[6], addr, snap.Lookup(code))
		}
		if !strings.HasPrefix(r[4], "デモ") {
			t.Errorf("%s: demo facility names start with デモ so nobody mistakes them for real ones", r[4])
		}
	}
}
