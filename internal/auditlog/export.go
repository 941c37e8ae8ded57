package auditlog

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/jp"
)

// ExportHeader is the header row of the trail's CSV.
var ExportHeader = []string{"日時", "操作者", "操作者ログインID", "操作", "操作コード", "対象", "対象ID",
	"医療機関等コード", "医療機関等名称", "詳細"}

// Export writes every entry matching f, newest first, as CSV in enc, streamed from the
// database cursor to w: memory stays flat however long the trail.
func Export(ctx context.Context, db database.DB, w io.Writer, f Filter, enc jp.Encoding) error {
	cw, err := jp.NewCSVWriter(w, enc)
	if err != nil {
		return err
	}
	if err := cw.Write(ExportHeader); err != nil {
		return err
	}
	var args []any
	from, none, err := f.from(ctx, db, &args)
	if err != nil {
		return err
	}
	if !none {
		rows, err := db.Query(ctx, `SELECT `+entryColumns+` FROM (SELECT l.* FROM `+from+`) l `+entryJoins()+
			` ORDER BY l.at DESC, l.id DESC`, append([]any{pgx.QueryExecModeExec}, args...)...)
		if err != nil {
			return fmt.Errorf("auditlog: export: %w", err)
		}
		defer rows.Close()
		rec := make([]string, len(ExportHeader))
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				return fmt.Errorf("auditlog: export: %w", err)
			}
			target := ""
			if e.TargetID != 0 {
				target = strconv.FormatInt(e.TargetID, 10)
			}
			rec = append(rec[:0], jp.ISODateTime(e.At), jp.Cell(e.Who()), jp.Cell(e.OperatorLogin), e.ActionLabel(),
				jp.Cell(e.Action), jp.Cell(TargetLabel(e.TargetType)), target, e.FacilityCode, jp.Cell(e.FacilityName),
				jp.Cell(e.DetailText()))
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("auditlog: export: %w", err)
		}
	}
	return cw.Close()
}
