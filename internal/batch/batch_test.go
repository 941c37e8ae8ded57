package batch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"portal/internal/jobs"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/testdb"
)

var secret = []byte("test-secret-test-secret-test-secret-0123")

// instance is one portal's job client with the batch service registered on it.
type instance struct {
	svc *Service
	q   *jobs.Client
}

// startInstance starts a job client on db as `portal serve` does, stopped at the test's end.
func startInstance(t *testing.T, db *pgxpool.Pool, hook func(int64, string)) *instance {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	q, err := jobs.New(db, log, jobs.Options{PollInterval: 100 * time.Millisecond, ForTests: true, SoftStopTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(db, q, secret, log)
	svc.hook = hook
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	in := &instance{svc: svc, q: q}
	t.Cleanup(func() { in.stop(t) })
	return in
}

func (in *instance) stop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := in.q.Stop(ctx); err != nil {
		t.Errorf("stop jobs: %v", err)
	}
}

func supervisor(t *testing.T, db *pgxpool.Pool, login string) operator.Operator {
	t.Helper()
	o, err := operator.Create(context.Background(), db, operator.NewOperator{Login: login, Name: "監督 " + login, Role: operator.RoleSupervisor, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

const header = "都道府県コード,点数表コード,医療機関等コード,施設種別,医療機関等名称,開設者氏名,郵便番号,所在地,電話番号,大型チェーン薬局,医科併設歯科病院\n"

// masterCSV is n valid rows.
func masterCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	for i := range n {
		fmt.Fprintf(&b, "13,1,%07d,診療所,テスト診療所%d,見本 太郎,100-0013,東京都千代田区霞が関1-%d,03-1234-%04d,0,0\n", i, i, i%99+1, i%10000)
	}
	return b.Bytes()
}

func cp932(t *testing.T, b []byte) []byte {
	t.Helper()
	out, _, err := transform.Bytes(japanese.ShiftJIS.NewEncoder(), b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wait polls the run until it has finished.
func wait(t *testing.T, svc *Service, id int64) Run {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		r, err := svc.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Finished() {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %d still %s (%s %d/%d)", id, r.State, r.Stage, r.Done, r.Total)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func count(t *testing.T, db *pgxpool.Pool, sql string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCheckUpload(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data []byte
		msg  string
	}{
		{"master.csv", masterCSV(1), ""},
		{"MASTER.CSV", []byte(header), ""},
		{`C:\Users\x\master.txt`, []byte(header), ""},
		{"utf16.csv", []byte{0xFF, 0xFE, 'a', 0}, ""}, // refused by the import, with its reason
		{"", nil, MsgNoFile},
		{"master.xlsx", []byte("PK\x03\x04"), MsgExtension},
		{"master.csv", []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"), MsgNotCSV},
		{"master.csv", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), MsgNotCSV},
		{"master.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00"), MsgNotCSV},
		{"master.csv", []byte("a,b\x00c"), MsgNotCSV},
		{"master.csv", nil, MsgEmptyFile},
	} {
		err := CheckUpload(tc.name, tc.data)
		var ue *UploadError
		switch {
		case tc.msg == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.msg != "" && (!errors.As(err, &ue) || ue.Message != tc.msg):
			t.Errorf("%s %q: %v, want %q", tc.name, tc.data, err, tc.msg)
		}
	}
}

func TestMasterImport(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	in := startInstance(t, db, nil)
	sv := supervisor(t, db, "sv")
	ctx := context.Background()
	r, err := in.svc.StartMasterImport(ctx, sv, "master.csv", cp932(t, masterCSV(30)))
	if err != nil || r.State != StateQueued || r.FileName != "master.csv" || r.StartedByName != "監督 sv" {
		t.Fatalf("start: %+v %v", r, err)
	}
	r = wait(t, in.svc, r.ID)
	if r.State != StateDone || r.Result.Inserted != 30 || r.Percent() != 100 || r.Attempts != 1 {
		t.Fatalf("done: %+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM facilities`); n != 30 {
		t.Fatalf("%d facilities", n)
	}
	if n := count(t, db, `SELECT count(*) FROM batch_runs WHERE upload IS NOT NULL`); n != 0 {
		t.Fatal("the upload was kept after the run")
	}
	// A file with bad rows: every one reported with its line, nothing imported.
	bad := masterCSV(40)
	bad = bytes.Replace(bad, []byte("13,1,0000005,"), []byte("99,1,0000005,"), 1)
	bad = bytes.Replace(bad, []byte("13,1,0000031,診療所"), []byte("13,1,0000031,医院"), 1)
	r, err = in.svc.StartMasterImport(ctx, sv, "bad.csv", cp932(t, bad))
	if err != nil {
		t.Fatal(err)
	}
	r = wait(t, in.svc, r.ID)
	if r.State != StateRefused || r.ProblemCount != 2 {
		t.Fatalf("refused: %+v", r)
	}
	r, err = in.svc.Problems(ctx, r.ID, 100)
	if err != nil || len(r.Problems) != 2 || r.Problems[0].Line != 7 || r.Problems[1].Line != 33 {
		t.Fatalf("problems: %+v %v", r.Problems, err)
	}
	var csv bytes.Buffer
	if err := in.svc.ProblemsCSV(ctx, r.ID, &csv, jp.UTF8BOM); err != nil || !strings.Contains(csv.String(), "\r\n7,") {
		t.Fatalf("problems CSV: %q %v", csv.String(), err)
	}
	if n := count(t, db, `SELECT count(*) FROM facilities`); n != 30 {
		t.Fatalf("half-imported: %d facilities", n)
	}
}

// A bad row on line 200,001 of a CP932 file: the run reports that line and imports none
// of the 200,000 good rows before it.
func TestMasterImportBadRowDeepInACP932File(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("200,000 rows")
	}
	db := testdb.New(t)
	in := startInstance(t, db, nil)
	sv := supervisor(t, db, "sv")
	file := append(masterCSV(200_000), []byte("13,1,ABC,診療所,壊れた行,見本,100-0013,東京都,03-0000-0000,0,0\n")...)
	r, err := in.svc.StartMasterImport(context.Background(), sv, "master.csv", cp932(t, file))
	if err != nil {
		t.Fatal(err)
	}
	r = wait(t, in.svc, r.ID)
	r, _ = in.svc.Problems(context.Background(), r.ID, 10)
	if r.State != StateRefused || r.ProblemCount != 1 || r.Problems[0].Line != 200_002 || !strings.Contains(r.Problems[0].Reason, "医療機関等コード") {
		t.Fatalf("run %+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM facilities`); n != 0 {
		t.Fatalf("%d facilities imported", n)
	}
}

// Two supervisors (on two instances) start an import at the same moment: one runs, the
// other is told one is running.
func TestStartedTwiceAtOnce(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	a, b := startInstance(t, db, nil), startInstance(t, db, nil)
	sv1, sv2 := supervisor(t, db, "sv1"), supervisor(t, db, "sv2")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	runs := make([]Run, 2)
	for i, in := range []*instance{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = in.svc.StartMasterImport(context.Background(), []operator.Operator{sv1, sv2}[i], "m.csv", masterCSV(50))
		}()
	}
	wg.Wait()
	var running *RunningError
	ok, refused := 0, 0
	var id int64
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
			id = runs[i].ID
		case errors.As(err, &running):
			refused++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || refused != 1 || running.Run.ID != id {
		t.Fatalf("%d started, %d refused (%+v)", ok, refused, running)
	}
	if r := wait(t, a.svc, id); r.State != StateDone || r.Attempts != 1 {
		t.Fatalf("run %+v", r)
	}
	// Once it has finished, the next one may start.
	if _, err := b.svc.StartLetters(context.Background(), sv2, jp.UTF8BOM); err != nil {
		t.Fatal(err)
	}
}

// The portal stops mid-batch: the work is rolled back, the job goes back to the queue and
// another instance runs the batch from the start, once.
func TestRestartMidBatch(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	reached := make(chan struct{})
	var once sync.Once
	first := startInstance(t, db, func(_ int64, stage string) {
		if stage == "copy" {
			once.Do(func() { close(reached) })
			time.Sleep(2 * time.Second) // the import is under way when the portal stops
		}
	})
	sv := supervisor(t, db, "sv")
	r, err := first.svc.StartMasterImport(context.Background(), sv, "m.csv", masterCSV(25_000))
	if err != nil {
		t.Fatal(err)
	}
	<-reached
	first.stop(t)
	mid, err := first.svc.Get(context.Background(), r.ID)
	if err != nil || mid.State != StateQueued || !strings.Contains(mid.Error, "中断") || count(t, db, `SELECT count(*) FROM facilities`) != 0 {
		t.Fatalf("after the stop: %+v %v", mid, err)
	}
	second := startInstance(t, db, nil)
	done := wait(t, second.svc, r.ID)
	if done.State != StateDone || done.Result.Inserted != 25_000 || done.Error != "" {
		t.Fatalf("after the restart: %+v", done)
	}
	if n := count(t, db, `SELECT count(*) FROM facilities`); n != 25_000 {
		t.Fatalf("%d facilities", n)
	}
}

// The letters' CSV is downloadable once, by the supervisor who ran the batch, and is not
// kept in the clear.
func TestLettersDownloadOnce(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	in := startInstance(t, db, nil)
	sv, other := supervisor(t, db, "sv"), supervisor(t, db, "other")
	ctx := context.Background()
	if _, err := in.svc.StartMasterImport(ctx, sv, "m.csv", masterCSV(12)); err != nil {
		t.Fatal(err)
	}
	m, _ := in.svc.Active(ctx, KindMasterImport)
	wait(t, in.svc, m.ID)
	if n, err := in.svc.LetterCandidates(ctx); err != nil || n != 12 {
		t.Fatalf("candidates %d %v", n, err)
	}
	r, err := in.svc.StartLetters(ctx, sv, jp.CP932)
	if err != nil {
		t.Fatal(err)
	}
	r = wait(t, in.svc, r.ID)
	if r.State != StateDone || r.Result.Issued != 12 || !r.Downloadable {
		t.Fatalf("letters %+v", r)
	}
	var sealed []byte
	if err := db.QueryRow(ctx, `SELECT output FROM batch_runs WHERE id = $1`, r.ID).Scan(&sealed); err != nil || bytes.Contains(sealed, []byte("@13")) {
		t.Fatalf("stored in the clear or missing (%v)", err)
	}
	write := func(got *[]byte) func(Run, []byte) error {
		return func(_ Run, csv []byte) error { *got = csv; return nil }
	}
	var got []byte
	if err := in.svc.DownloadLetters(ctx, other, r.ID, write(&got)); !errors.Is(err, ErrNotYours) {
		t.Fatalf("another supervisor: %v", err)
	}
	broken := errors.New("connection reset")
	if err := in.svc.DownloadLetters(ctx, sv, r.ID, func(Run, []byte) error { return broken }); !errors.Is(err, broken) {
		t.Fatalf("broken download: %v", err)
	}
	if err := in.svc.DownloadLetters(ctx, sv, r.ID, write(&got)); err != nil {
		t.Fatalf("download after a broken one: %v", err)
	}
	text, _, _ := transform.Bytes(japanese.ShiftJIS.NewDecoder(), got)
	if lines := strings.Count(string(text), "\r\n"); lines != 13 || !strings.Contains(string(text), "仮パスワード") {
		t.Fatalf("CSV: %d lines\n%s", lines, text)
	}
	if err := in.svc.DownloadLetters(ctx, sv, r.ID, write(&got)); !errors.Is(err, ErrDownloaded) {
		t.Fatalf("second download: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM batch_runs WHERE output IS NOT NULL`); n != 0 {
		t.Fatal("the letters were kept after the download")
	}
	if n := count(t, db, `SELECT count(*) FROM provisional_credentials`); n != 12 {
		t.Fatalf("%d credentials", n)
	}
}

// A running batch whose progress stopped says it was cut off and what happens next.
func TestStalledRun(t *testing.T) {
	t.Parallel()
	old := time.Now().Add(-3 * time.Minute)
	r := Run{State: StateRunning, HeartbeatAt: &old, Stage: "copy", Done: 5, Total: 10}
	if !r.Stalled() || r.Message() != MsgStalled || r.StateLabel() != "中断（自動で再開します）" || r.Percent() != 60 {
		t.Fatalf("stalled run: %v %q %q %d", r.Stalled(), r.Message(), r.StateLabel(), r.Percent())
	}
	now := time.Now()
	r.HeartbeatAt = &now
	if r.Stalled() || r.Message() != "" {
		t.Fatal("a live run reads as stalled")
	}
}
