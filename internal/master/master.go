// Package master imports the fund's facility master (施設マスタ): the CSV that lists every
// hospital, clinic and pharmacy with its code, type, name, founder, address and phone.
//
// The file is checked completely before anything is written: every bad row is reported with
// its line number, and a file with a single problem imports nothing. A valid file is copied
// into a temporary table and merged into facilities with one INSERT … ON CONFLICT in one
// transaction, so 250,000 rows take seconds.
//
// # File format
//
// UTF-8 (with or without BOM) or Shift_JIS (CP932, as Excel saves it). The first line is
// the header, exactly:
//
//	都道府県コード,点数表コード,医療機関等コード,施設種別,医療機関等名称,開設者氏名,郵便番号,所在地,電話番号,大型チェーン薬局,医科併設歯科病院
//
// The last two columns may be left out of the header (from the end), and may be empty
// (meaning 0). Rules per row:
//   - 都道府県コード 1–47 ("1" and "01" both accepted).
//   - 点数表コード 1 (医科), 3 (歯科) or 4 (調剤).
//   - 医療機関等コード 7 digits.
//   - 施設種別 病院, 診療所 or 薬局; 薬局 ⇔ 点数表コード 4.
//   - 医療機関等名称 and 開設者氏名 required, at most 200 characters; 所在地 required, at most 300.
//     When 所在地 begins with a prefecture's name it must be the one of 都道府県コード.
//   - 郵便番号 7 digits, with or without the hyphen; stored as 123-4567.
//   - 電話番号 starts with 0, 10 or 11 digits, either 数字-数字-数字 or digits only.
//   - 大型チェーン薬局 0/1, 1 only for 薬局. 医科併設歯科病院 0/1, 1 only for a 病院 with 点数表コード 3.
//   - Full-width digits and hyphens are normalised, surrounding spaces trimmed; control
//     characters (tab, newline inside a quoted field, …) are refused.
//   - A facility (都道府県コード, 点数表コード, 医療機関等コード) appears once in the file.
//
// Facilities missing from the file are kept: a file may cover one prefecture only.
package master

import (
	"context"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"

	"portal/internal/pref"
)

// 施設種別, as package pref defines them.
const (
	KindHospital = pref.KindHospital
	KindClinic   = pref.KindClinic
	KindPharmacy = pref.KindPharmacy
)

// Facility is one row of the master: a facility as the fund knows it.
type Facility struct {
	PrefectureCode            int
	ScoreTableCode            int
	Code                      string // 7 digits
	Kind                      string // KindHospital, KindClinic or KindPharmacy
	Name                      string
	FounderName               string
	PostalCode                string // 123-4567
	Address                   string
	Phone                     string
	LargeChainPharmacy        bool // 大型チェーン薬局
	DentalHospitalWithMedical bool // 医科併設の歯科病院
}

// Result counts what an import changed. Rows identical to what is stored are Unchanged.
type Result struct {
	Inserted  int
	Updated   int
	Unchanged int
}

// Beginner starts a transaction; both *pgxpool.Pool and pgx.Tx (a savepoint) do.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Import checks the whole file and, when every row is valid, merges it into facilities.
// A file with problems returns a *ValidationError listing every one and changes nothing.
func Import(ctx context.Context, db Beginner, r io.Reader) (Result, error) {
	return ImportWith(ctx, db, r, Options{})
}

// Stage is a step of an import, for a progress display.
type Stage string

// The stages of an import, in order.
const (
	// StageCheck reads and checks the rows; done and total count lines of the file.
	StageCheck Stage = "check"
	// StageCopy copies the checked rows into a temporary table; done and total count rows.
	StageCopy Stage = "copy"
	// StageMerge merges them into facilities in one statement; done is 0 until it ends.
	StageMerge Stage = "merge"
)

// Options tune ImportWith.
type Options struct {
	// Progress, when set, is called as the import goes (every progressEvery rows and at
	// each stage's start and end), from the importing goroutine.
	Progress func(stage Stage, done, total int)
}

// progressEvery is how many rows pass between two Progress calls.
const progressEvery = 10000

func (o Options) progress(stage Stage, done, total int) {
	if o.Progress != nil {
		o.Progress(stage, done, total)
	}
}

// ImportWith is Import reporting its progress.
func ImportWith(ctx context.Context, db Beginner, r io.Reader, opt Options) (Result, error) {
	facilities, err := parse(r, opt)
	if err != nil {
		return Result{}, err
	}
	return store(ctx, db, facilities, opt)
}

// Parse reads and checks a master file without touching the database.
func Parse(r io.Reader) ([]Facility, error) { return parse(r, Options{}) }

func parse(r io.Reader, opt Options) ([]Facility, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("master: read: %w", err)
	}
	text, problems := decode(raw)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	facilities, problems := parseRows(text, opt)
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return facilities, nil
}
