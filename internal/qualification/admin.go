package qualification

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/database"
	"portal/internal/jp"
	"portal/internal/listing"
)

// Row is one application in the operators' list.
type Row struct {
	ID           int64
	Reference    string
	Status       string
	TenDigitCode string
	FacilityName string
	FacilityKind string
	LineType     string
	Provider     string
	StartYear    int
	StartMonth   int
	SubmittedAt  time.Time
}

// Start is 利用開始予定年月 as the list shows it.
func (r Row) Start() string { return jp.YearMonth(r.StartYear, r.StartMonth) }

const listFrom = ` FROM qualification_applications a JOIN facilities f ON f.id = a.facility_id `

// List returns one page of applications matching the filter, newest submission first,
// with the capped number of all matches.
func List(ctx context.Context, db database.DB, req application.ListRequest) (listing.Page[Row], error) {
	return application.List(ctx, db, req, listFrom, "a.status", "a.submitted_at", "a.id", `a.id, a.reference, a.status,
		lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, f.name, f.kind,
		a.line_type, a.provider, a.start_year, a.start_month, a.submitted_at`,
		func(r pgx.CollectableRow) (Row, error) {
			var x Row
			return x, r.Scan(&x.ID, &x.Reference, &x.Status, &x.TenDigitCode, &x.FacilityName, &x.FacilityKind,
				&x.LineType, &x.Provider, &x.StartYear, &x.StartMonth, &x.SubmittedAt)
		},
		func(x Row) listing.Key { return listing.Key{At: x.SubmittedAt, ID: x.ID} })
}

// ExportHeader is the header row of the operators' CSV.
var ExportHeader = []string{"申込番号", "状態", "申請日時", "都道府県コード", "点数表コード", "医療機関等コード", "医療機関等名称",
	"施設種別", "電気通信回線種別", "提供事業者", "お客さまID", "利用開始予定年月", "疎通確認（運用テスト）開始予定年月", "承認日時", "差戻し理由"}

// Export writes every application matching the filter as CSV in enc, streamed from the
// database cursor so memory stays flat.
func Export(ctx context.Context, db database.DB, w io.Writer, fl application.Filter, enc jp.Encoding) error {
	cw, err := jp.NewCSVWriter(w, enc)
	if err != nil {
		return err
	}
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	var args []any
	where := fl.Where("a.status", "a.submitted_at", &args)
	rows, err := db.Query(ctx, `SELECT a.reference, a.status, a.submitted_at, f.prefecture_code, f.score_table_code, f.code,
		f.name, f.kind, a.line_type, a.provider, a.customer_id, a.start_year, a.start_month, a.test_year, a.test_month,
		a.approved_at, a.return_reason`+listFrom+where+` ORDER BY a.submitted_at, a.id`, args...)
	if err != nil {
		return fmt.Errorf("qualification: export: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			ref, status, code, name, kind, line, provider, customer, reason string
			submitted                                                       time.Time
			pref, score, sy, sm                                             int
			ty, tm                                                          *int
			approved                                                        *time.Time
		)
		if err := rows.Scan(&ref, &status, &submitted, &pref, &score, &code, &name, &kind, &line, &provider, &customer,
			&sy, &sm, &ty, &tm, &approved, &reason); err != nil {
			return fmt.Errorf("qualification: export: %w", err)
		}
		test, approvedAt := "", ""
		if ty != nil && tm != nil {
			test = fmt.Sprintf("%d/%02d", *ty, *tm)
		}
		if approved != nil {
			approvedAt = jp.ISODateTime(*approved)
		}
		if err := cw.Write([]string{ref, status, jp.ISODateTime(submitted), fmt.Sprintf("%02d", pref),
			strconv.Itoa(score), code, jp.Cell(name), kind, line, provider, customer, fmt.Sprintf("%d/%02d", sy, sm), test,
			approvedAt, jp.Cell(reason)}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("qualification: export: %w", err)
	}
	return cw.Close()
}
