// Package batch runs the batches a supervisor starts from the back office: the facility
// master import (施設マスタ取込, package master's rules) and the provisional letter batch
// (アカウント登録案内文書の一括作成, package account's). Each start is one row of batch_runs
// and one River job in the same transaction; whichever `portal serve` claims the job works
// it, writing its progress to the row for the screen to poll.
//
// A batch runs once: a second start of the same kind while one is queued or running is
// refused by a unique index (ErrRunning, whichever instance it came to), and a job that
// River hands out twice (a rescue while the first is still working) finds the run's
// advisory lock taken and waits. The work and the run's outcome commit in one transaction,
// so a portal stopped mid-batch leaves nothing half done; River gives the job to the next
// instance (at once after a clean stop, after its rescue delay after a crash) and the batch
// starts over. The letters' CSV holds the clear passwords: it is kept sealed (AES-GCM under
// a key derived from SESSION_SECRET) only until the supervisor who ran the batch downloads
// it, once.
package batch

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/jobs"
	"portal/internal/master"
)

// Kinds of batch.
const (
	KindMasterImport = "master_import"
	KindLetters      = "letters"
)

// States of a run.
const (
	StateQueued  = "queued"
	StateRunning = "running"
	StateDone    = "done"
	// StateRefused: the master file had problems; nothing was imported.
	StateRefused = "refused"
	// StateFailed: the run gave up after its attempts; nothing changed.
	StateFailed = "failed"
)

// Audit trail entries; the target is the run (TargetRun, its id).
const (
	TargetRun            = "batch_run"
	ActionMasterImport   = "batch.master_import"
	ActionLetters        = "batch.letters"
	ActionLettersFetched = "batch.letters_download"
)

// Errors of the steps.
var (
	// ErrNotFound means no such run (of that kind).
	ErrNotFound = errors.New("batch: run not found")
	// ErrNotYours means the letters belong to the supervisor who ran the batch.
	ErrNotYours = errors.New("batch: the letters are for the supervisor who ran the batch")
	// ErrDownloaded means the letters were downloaded already and are gone.
	ErrDownloaded = errors.New("batch: the letters were downloaded already")
	// ErrNotReady means the run has not finished (or did not end well).
	ErrNotReady = errors.New("batch: the run has no result to download")
)

// RunningError refuses a start while a run of the kind is queued or running; Run is that run.
type RunningError struct{ Run Run }

func (e *RunningError) Error() string {
	return fmt.Sprintf("batch: a %s run is already under way (run %d)", e.Run.Kind, e.Run.ID)
}

// UploadError refuses an uploaded file before any run starts; Message says why, in Japanese.
type UploadError struct{ Message string }

func (e *UploadError) Error() string { return "batch: upload refused: " + e.Message }

// Service starts the batches, works their jobs and reads their runs.
type Service struct {
	db  *pgxpool.Pool
	q   *jobs.Client
	key []byte // derived from SESSION_SECRET: seals the letters
	// secret is SESSION_SECRET itself, which keys the provisional passwords' hashes.
	secret []byte
	log    *slog.Logger
	// hook, when set (tests only), is called at each progress step of a run.
	hook func(runID int64, stage string)
}

// NewService returns the service on db and registers its jobs' workers on q. secret is
// SESSION_SECRET.
func NewService(db *pgxpool.Pool, q *jobs.Client, secret []byte, log *slog.Logger) *Service {
	s := &Service{db: db, q: q, key: sealKey(secret), secret: secret, log: log}
	jobs.Register(q, &masterImportWorker{s: s})
	jobs.Register(q, &lettersWorker{s: s})
	return s
}

// Run is one batch run as the screens show it.
type Run struct {
	ID            int64
	Kind          string
	State         string
	StartedBy     int64
	StartedByName string
	CreatedAt     time.Time
	StartedAt     *time.Time
	FinishedAt    *time.Time
	HeartbeatAt   *time.Time
	Attempts      int
	Stage         string
	Done, Total   int
	FileName      string
	FileSize      int64
	Encoding      string
	Result        Result
	ProblemCount  int
	// Problems are the first problems of a refused master file (Problems loads them).
	Problems     []master.Problem
	Downloadable bool
	DownloadedAt *time.Time
	Error        string
}

// Result is what a run did.
type Result struct {
	// Master import.
	Inserted  int `json:"inserted,omitempty"`
	Updated   int `json:"updated,omitempty"`
	Unchanged int `json:"unchanged,omitempty"`
	// Letters.
	Issued   int `json:"issued,omitempty"`
	Replaced int `json:"replaced,omitempty"`
}

// Finished reports whether the run has ended, well or not.
func (r Run) Finished() bool {
	return r.State == StateDone || r.State == StateRefused || r.State == StateFailed
}

// stallAfter is how long a running batch may go without a progress step before the
// screen says it was cut off.
const stallAfter = 2 * time.Minute

// Stalled reports a running batch whose progress stopped: its instance went away, and
// River gives the job to another after its rescue delay.
func (r Run) Stalled() bool {
	return r.State == StateRunning && r.HeartbeatAt != nil && time.Since(*r.HeartbeatAt) > stallAfter
}

// MsgStalled explains a run whose progress stopped (Stalled).
const MsgStalled = "2分以上、進み具合の記録が止まっています。処理していたポータルが停止した可能性があります。" +
	"何も変更されていません。最長1時間で、ほかのポータルが自動で最初からやり直します。"

// Message is what the run's page says besides its state: why it stopped, failed or starts over.
func (r Run) Message() string {
	if r.Stalled() {
		return MsgStalled
	}
	return r.Error
}

// stage weights: where each stage starts and how much of the bar it fills.
var stageSpan = map[string][2]int{
	string(master.StageCheck): {0, 40},
	string(master.StageCopy):  {40, 40},
	string(master.StageMerge): {80, 20},
	stageLetters:              {0, 100},
}

// stageLetters is the one stage of the letter batch.
const stageLetters = "letters"

// Percent is the run's progress, 0–100; 100 only once it has finished.
func (r Run) Percent() int {
	if r.Finished() {
		return 100
	}
	span, ok := stageSpan[r.Stage]
	if !ok || r.Total <= 0 {
		return 0
	}
	p := span[0] + span[1]*min(r.Done, r.Total)/r.Total
	return min(p, 99)
}

// KindLabel names the batch in Japanese.
func (r Run) KindLabel() string {
	if r.Kind == KindLetters {
		return "アカウント登録案内文書の一括作成"
	}
	return "施設マスタ取込"
}

// StateLabel is the state in Japanese.
func (r Run) StateLabel() string {
	switch r.State {
	case StateQueued:
		return "開始待ち"
	case StateRunning:
		if r.Stalled() {
			return "中断（自動で再開します）"
		}
		return "実行中"
	case StateDone:
		return "完了"
	case StateRefused:
		return "取り込みませんでした"
	case StateFailed:
		return "失敗"
	}
	return r.State
}

// StageLabel says what a running batch is doing.
func (r Run) StageLabel() string {
	switch r.Stage {
	case string(master.StageCheck):
		return "ファイルの内容を確認しています"
	case string(master.StageCopy):
		return "データベースに書き込んでいます"
	case string(master.StageMerge):
		return "施設マスタに反映しています"
	case stageLetters:
		return "仮メールアドレス・仮パスワードを発行しています"
	}
	return "開始を待っています"
}
