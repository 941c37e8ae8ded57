package account

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/jp"
)

// CSVEncoding is the character encoding of the letters' CSV: UTF-8 with a byte-order mark
// (Excel needs it to read UTF-8) or CP932, whose missing characters become 〓 (package jp).
type CSVEncoding = jp.Encoding

// The encodings of the letters' CSV.
const (
	CSVUTF8  = jp.UTF8BOM
	CSVCP932 = jp.CP932
)

// LetterColumns is the header of the letters' CSV: the columns the print vendor needs
// first, then what helps check a letter.
var LetterColumns = []string{"都道府県コード", "点数表コード", "医療機関等コード", "医療機関等名称", "郵便番号", "所在地",
	"仮メールアドレス", "仮パスワード", "都道府県名", "開設者氏名", "発行日"}

// BatchOptions tune IssueLetters.
type BatchOptions struct {
	// Encoding of the CSV; the zero value is UTF-8 with a BOM.
	Encoding CSVEncoding
	// ChunkSize is how many facilities are read, written and copied at a time (default 5000).
	ChunkSize int
	// Progress, when set, is called after each chunk with the letters issued so far and
	// the number the batch will issue.
	Progress func(done, total int)
}

// BatchResult tells what a batch did.
type BatchResult struct {
	Issued int
	// Replaced counts letters with characters the chosen encoding lacks (CP932 only).
	Replaced int
}

// batchLock is the advisory lock that keeps two letter batches from running at once.
const batchLock = 0x70726f76 // "prov"

// IssueLetters issues, for every master facility with neither an account nor live
// provisional credentials, a letter-style login ID and a random password, and writes one
// CSV row per letter to w (CRLF line ends, Excel-friendly). It runs in one transaction:
// the rows are copied into provisional_credentials chunk by chunk (COPY), and the
// transaction commits only after the whole CSV has been written and, when w has a Sync
// method (an *os.File), synced. A failure leaves no credentials behind; the clear
// passwords exist only in w.
func IssueLetters(ctx context.Context, pool *pgxpool.Pool, key []byte, w io.Writer, opt BatchOptions) (BatchResult, error) {
	var res BatchResult
	err := database.WithTx(ctx, pool, func(tx pgx.Tx) (err error) {
		res, err = IssueLettersTx(ctx, tx, key, w, opt)
		return err
	})
	if err != nil {
		return BatchResult{}, err
	}
	return res, nil
}

// IssueLettersTx is IssueLetters in the caller's transaction, for a caller that stores the
// CSV itself (the back office's batch keeps it, sealed, in the same transaction as the
// credentials, so the letters exist if and only if their credentials do).
func IssueLettersTx(ctx context.Context, tx pgx.Tx, key []byte, w io.Writer, opt BatchOptions) (BatchResult, error) {
	if opt.ChunkSize <= 0 {
		opt.ChunkSize = 5000
	}
	var res BatchResult
	err := func() error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, batchLock); err != nil {
			return fmt.Errorf("account: batch lock: %w", err)
		}
		// The batch's facilities are fixed first, with accurate statistics: asked chunk by
		// chunk, "no live credentials" would be planned against a table the batch itself is
		// filling, and the planner's stale estimate turns it into a quadratic scan.
		tag, err := tx.Exec(ctx, `CREATE TEMP TABLE letter_batch ON COMMIT DROP AS
			SELECT row_number() OVER (ORDER BY f.prefecture_code, f.score_table_code, f.code) AS n, f.id AS facility_id,
				(SELECT count(*) FROM provisional_credentials p WHERE p.facility_id = f.id) AS seq
			FROM facilities f WHERE `+eligible)
		if err != nil {
			return fmt.Errorf("account: batch select: %w", err)
		}
		total := int(tag.RowsAffected())
		if _, err := tx.Exec(ctx, `CREATE UNIQUE INDEX ON letter_batch (n)`); err != nil {
			return fmt.Errorf("account: batch select: %w", err)
		}
		if _, err := tx.Exec(ctx, `ANALYZE letter_batch`); err != nil {
			return fmt.Errorf("account: batch select: %w", err)
		}
		var issuedAt time.Time
		if err := tx.QueryRow(ctx, `SELECT now()`).Scan(&issuedAt); err != nil {
			return fmt.Errorf("account: batch: %w", err)
		}
		if opt.Encoding == "" {
			opt.Encoding = CSVUTF8
		}
		lw, err := jp.NewCSVWriter(w, opt.Encoding)
		if err != nil {
			return err
		}
		if err := lw.Write(LetterColumns); err != nil {
			return err
		}
		for from := 0; from < total; from += opt.ChunkSize {
			letters, err := batchChunk(ctx, tx, from, opt.ChunkSize)
			if err != nil {
				return err
			}
			rows := make([][]any, len(letters))
			for i := range letters {
				l := &letters[i]
				if l.Password, err = NewProvisionalPassword(); err != nil {
					return err
				}
				l.IssuedAt = issuedAt
				rows[i] = []any{l.Facility.ID, KindLetter, l.LoginID, HashSecret(key, l.Password)}
				if err := lw.Write(LetterRecord(*l)); err != nil {
					return err
				}
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"provisional_credentials"},
				[]string{"facility_id", "kind", "login_id", "secret_hash"}, pgx.CopyFromRows(rows)); err != nil {
				return fmt.Errorf("account: batch copy: %w", err)
			}
			res.Issued += len(letters)
			if opt.Progress != nil {
				opt.Progress(res.Issued, total)
			}
		}
		if err := lw.Close(); err != nil {
			return err
		}
		res.Replaced = lw.Replaced()
		if s, ok := w.(interface{ Sync() error }); ok {
			if err := s.Sync(); err != nil {
				return fmt.Errorf("account: sync letters: %w", err)
			}
		}
		return nil
	}()
	if err != nil {
		return BatchResult{}, err
	}
	return res, nil
}

// eligible selects facilities (alias f) that get a letter: no account, no live credentials.
const eligible = `NOT EXISTS (SELECT 1 FROM accounts a WHERE a.facility_id = f.id)
	AND NOT EXISTS (SELECT 1 FROM provisional_credentials p
		WHERE p.facility_id = f.id AND p.used_at IS NULL AND p.deleted_at IS NULL)`

// batchChunk reads the letters n in (from, from+size] of the batch, in (都道府県, 点数表,
// コード) order, with the login ID each gets.
func batchChunk(ctx context.Context, tx pgx.Tx, from, size int) ([]Letter, error) {
	rows, err := tx.Query(ctx, `SELECT f.id, f.prefecture_code, f.score_table_code, f.code, f.kind, f.name,
			f.founder_name, f.postal_code, f.address, f.phone, f.large_chain_pharmacy, f.dental_hospital_with_medical, b.seq
		FROM letter_batch b JOIN facilities f ON f.id = b.facility_id
		WHERE b.n > $1 AND b.n <= $2
		ORDER BY b.n`, from, from+size)
	if err != nil {
		return nil, fmt.Errorf("account: batch read: %w", err)
	}
	defer rows.Close()
	letters := make([]Letter, 0, size)
	for rows.Next() {
		var f Facility
		var seq int
		if err := rows.Scan(&f.ID, &f.PrefectureCode, &f.ScoreTableCode, &f.Code, &f.Kind, &f.Name, &f.FounderName,
			&f.PostalCode, &f.Address, &f.Phone, &f.LargeChainPharmacy, &f.DentalHospitalWithMedical, &seq); err != nil {
			return nil, fmt.Errorf("account: batch read: %w", err)
		}
		letters = append(letters, Letter{Kind: KindLetter, Facility: f, LoginID: LoginID(f, seq)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("account: batch read: %w", err)
	}
	return letters, nil
}

// LetterRecord is a letter's CSV row, in LetterColumns order: what the print vendor gets, and
// what the back office's printable letter shows. The master's free text goes through
// jp.Cell: the vendor opens the file in Excel, which would run a name beginning with "=".
func LetterRecord(l Letter) []string {
	f := l.Facility
	return []string{
		fmt.Sprintf("%02d", f.PrefectureCode),
		strconv.Itoa(f.ScoreTableCode),
		f.Code,
		jp.Cell(f.Name),
		l.PostalCode(),
		jp.Cell(f.Address),
		l.LoginID,
		l.Password,
		f.PrefectureName(),
		jp.Cell(f.FounderName),
		jp.ISODate(l.IssuedAt),
	}
}

// LetterCandidates counts the facilities a letter batch would issue letters for now: no
// account, no live provisional credentials.
func LetterCandidates(ctx context.Context, db database.DB) (int, error) {
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM facilities f WHERE `+eligible).Scan(&n); err != nil {
		return 0, fmt.Errorf("account: letter candidates: %w", err)
	}
	return n, nil
}
