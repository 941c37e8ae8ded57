package batch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/jp"
	"portal/internal/operator"
)

// MaxUpload is the largest master file accepted (the fund's whole master is about 50 MB).
const MaxUpload = 100 << 20

// Messages of an upload refused at once (UploadError).
const (
	MsgNoFile    = "取り込むファイルを選んでください。"
	MsgEmptyFile = "ファイルが空です。"
	MsgTooLarge  = "ファイルが大きすぎます（100MBまで）。"
	MsgNotCSV    = "CSVファイルではありません。施設マスタをCSV形式（UTF-8またはShift_JIS）で保存したファイルを選んでください（Excelのブック（.xlsx）やPDFは取り込めません）。"
	MsgExtension = "ファイル名が「.csv」で終わるファイルを選んでください。"
)

// CheckUpload refuses at once what is not a CSV file: another extension, or content that
// is not text (an Excel workbook, a PDF, an image). The rows themselves are checked by
// the run, which reports every bad one.
func CheckUpload(name string, data []byte) error {
	switch ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/"))); {
	case name == "":
		return &UploadError{MsgNoFile}
	case ext != ".csv" && ext != ".txt":
		return &UploadError{MsgExtension}
	case len(data) == 0:
		return &UploadError{MsgEmptyFile}
	case len(data) > MaxUpload:
		return &UploadError{MsgTooLarge}
	}
	head := data[:min(len(data), 512)]
	// UTF-16 text is refused by the import with its own explanation.
	utf16 := len(head) >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF)
	if !utf16 && !strings.HasPrefix(http.DetectContentType(head), "text/plain") {
		return &UploadError{MsgNotCSV}
	}
	return nil
}

// StartMasterImport queues the import of an uploaded master file as op, after
// CheckUpload. A second start while an import is queued or running is a *RunningError.
func (s *Service) StartMasterImport(ctx context.Context, op operator.Operator, name string, data []byte) (Run, error) {
	if err := CheckUpload(name, data); err != nil {
		return Run{}, err
	}
	return s.start(ctx, op, KindMasterImport, func(tx pgx.Tx) (int64, error) {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO batch_runs (kind, started_by, file_name, file_size, upload)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, KindMasterImport, op.ID, cleanName(name), len(data), data).Scan(&id)
		if err != nil {
			return 0, err
		}
		if err := s.q.InsertTx(ctx, tx, masterImportJob{RunID: id}); err != nil {
			return 0, err
		}
		return id, operator.Record(ctx, tx, op.ID, ActionMasterImport, TargetRun, id,
			map[string]any{"file_name": cleanName(name), "file_size": len(data)})
	})
}

// StartLetters queues the letter batch as op, its CSV to be written in enc. A second start
// while one is queued or running is a *RunningError.
func (s *Service) StartLetters(ctx context.Context, op operator.Operator, enc jp.Encoding) (Run, error) {
	if enc != jp.UTF8BOM && enc != jp.CP932 {
		return Run{}, fmt.Errorf("batch: unknown encoding %q", enc)
	}
	return s.start(ctx, op, KindLetters, func(tx pgx.Tx) (int64, error) {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO batch_runs (kind, started_by, encoding) VALUES ($1, $2, $3) RETURNING id`,
			KindLetters, op.ID, string(enc)).Scan(&id)
		if err != nil {
			return 0, err
		}
		if err := s.q.InsertTx(ctx, tx, lettersJob{RunID: id}); err != nil {
			return 0, err
		}
		return id, operator.Record(ctx, tx, op.ID, ActionLetters, TargetRun, id, map[string]any{"encoding": string(enc)})
	})
}

// start inserts a run and its job in one transaction; the unique index on active runs
// turns a concurrent second start (from any instance) into a *RunningError.
func (s *Service) start(ctx context.Context, op operator.Operator, kind string, insert func(tx pgx.Tx) (int64, error)) (Run, error) {
	if !op.IsSupervisor() {
		return Run{}, errors.New("batch: a supervisor starts batches")
	}
	for range 3 {
		var id int64
		err := database.WithTx(ctx, s.db, func(tx pgx.Tx) (err error) {
			id, err = insert(tx)
			return err
		})
		if database.IsUniqueViolation(err, "batch_runs_active_key") {
			running, rerr := s.active(ctx, kind)
			if errors.Is(rerr, ErrNotFound) {
				continue // it ended in between: try again
			}
			if rerr != nil {
				return Run{}, rerr
			}
			return Run{}, &RunningError{Run: running}
		}
		if err != nil {
			return Run{}, fmt.Errorf("batch: start %s: %w", kind, err)
		}
		return s.Get(ctx, id)
	}
	return Run{}, fmt.Errorf("batch: start %s: runs keep ending and starting", kind)
}

// cleanName keeps the last element of an uploaded file's name, bounded: browsers send a
// bare name, others may send a path.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, "\uFFFD"))
}

// LetterCandidates counts the facilities the letter batch would issue letters for now.
func (s *Service) LetterCandidates(ctx context.Context) (int, error) {
	return account.LetterCandidates(ctx, s.db)
}
