package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"portal/internal/operator"
	"portal/internal/password"
	"portal/internal/webtest"
)

// BenchmarkMasterUpload250k times a master import of 250,000 rows from the supervisor's
// upload to the run's end, as the screen sees it (the multipart POST, then the run's JSON
// status polled every 50 ms until it has finished), against a raw COPY of the same file
// into a table of text columns (no checks, no indexes), measured in the same run on the
// same database. Each iteration starts from an empty facilities table.
//
//	go test -run '^$' -bench BenchmarkMasterUpload250k -benchtime 3x -timeout 30m ./internal/web/
func BenchmarkMasterUpload250k(b *testing.B) {
	const n = 250_000
	ctx := context.Background()
	env := webtest.New(b)
	sv := btSupervisorB(b, env)
	file := btMaster(n)
	if _, err := env.DB.Exec(ctx, `CREATE TABLE raw_master (a text, b text, c text, d text, e text, f text, g text, h text, i text, j text, k text)`); err != nil {
		b.Fatal(err)
	}
	var upload, reimport, raw time.Duration
	for b.Loop() {
		if _, err := env.DB.Exec(ctx, `TRUNCATE facilities CASCADE; TRUNCATE raw_master`); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		conn, err := env.DB.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		tag, err := conn.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(file), `COPY raw_master FROM STDIN WITH (FORMAT csv, HEADER true)`)
		conn.Release()
		if err != nil || tag.RowsAffected() != n {
			b.Fatalf("raw COPY: %v %v", tag, err)
		}
		raw += time.Since(start)

		upload += btUploadToDone(b, sv, file)
		// The monthly case: the same master again, every row unchanged.
		reimport += btUploadToDone(b, sv, file)
		var count int
		if err := env.DB.QueryRow(ctx, `SELECT count(*) FROM facilities`).Scan(&count); err != nil || count != n {
			b.Fatalf("%d facilities (%v)", count, err)
		}
	}
	runs := float64(b.N)
	b.ReportMetric(upload.Seconds()/runs, "upload-to-done-s")
	b.ReportMetric(raw.Seconds()/runs, "raw-copy-s")
	b.ReportMetric(upload.Seconds()/raw.Seconds(), "x-copy")
	b.ReportMetric(reimport.Seconds()/runs, "reimport-unchanged-s")
}

// btUploadToDone uploads file and polls the run's status until it has finished; it logs
// when each stage began.
func btUploadToDone(b *testing.B, sv *webtest.Client, file []byte) time.Duration {
	b.Helper()
	start := time.Now()
	res := btUpload(sv, "master.csv", file)
	if res.Status != 303 {
		b.Fatalf("upload: %d", res.Status)
	}
	stages, last := []string{fmt.Sprintf("upload %.2fs", time.Since(start).Seconds())}, ""
	for {
		s := btStatusOf(b, sv, res.Location)
		if s.Stage != last {
			stages, last = append(stages, fmt.Sprintf("%s from %.2fs", s.Stage, time.Since(start).Seconds())), s.Stage
		}
		if s.Finished {
			if s.State != "done" {
				b.Fatalf("run ended %s", s.State)
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(start)
	b.Logf("%s; done %.2fs", strings.Join(stages, ", "), took.Seconds())
	return took
}

// btSupervisorB signs a new supervisor in (benchmarks are not *testing.T).
func btSupervisorB(tb testing.TB, env *webtest.Env) *webtest.Client {
	tb.Helper()
	hash, err := password.Hash("Supervisor1234")
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := operator.Create(context.Background(), env.DB, operator.NewOperator{Login: "bench-sv", Name: "監督", Role: operator.RoleSupervisor, PasswordHash: hash}); err != nil {
		tb.Fatal(err)
	}
	c := env.Client(tb)
	if res := adminLogin(c, "bench-sv", "Supervisor1234"); res.Status != 303 {
		tb.Fatalf("sign-in: %d", res.Status)
	}
	c.Get("/admin/batches")
	return c
}

// btStatusOf reads a run's JSON status once.
func btStatusOf(tb testing.TB, c *webtest.Client, runPath string) btStatus {
	tb.Helper()
	res := c.Get(runPath + "/status")
	var s btStatus
	if res.Status != 200 || json.Unmarshal([]byte(res.Body), &s) != nil {
		tb.Fatalf("status: %d %s", res.Status, res.Body)
	}
	return s
}
