package auditlog

import (
	"context"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/jp"
	"portal/internal/listing"
	"portal/internal/operator"
)

// Service reads the audit trail for supervisors (操作履歴).
type Service struct {
	db *pgxpool.Pool
}

// NewService returns the audit trail's reader on db.
func NewService(db *pgxpool.Pool) *Service { return &Service{db: db} }

// List returns one page of the trail.
func (s *Service) List(ctx context.Context, req Request) (listing.Page[Entry], error) {
	return List(ctx, s.db, req)
}

// Operators lists whom the trail may be filtered by.
func (s *Service) Operators(ctx context.Context) ([]operator.Operator, error) {
	return operator.List(ctx, s.db)
}

// Export writes the entries matching f as CSV in enc after recording, in the trail itself,
// that op downloaded them and with which filter.
func (s *Service) Export(ctx context.Context, op operator.Operator, w io.Writer, f Filter, enc jp.Encoding) error {
	detail := map[string]any{"encoding": string(enc)}
	if f.Action != "" {
		detail["action"] = f.Action
	}
	if f.FacilityCode != "" {
		detail["facility"] = f.FacilityCode
	}
	if f.OperatorID != 0 {
		detail["operator"] = f.OperatorID
	}
	if !f.From.IsZero() {
		detail["from_date"] = jp.ISODate(f.From)
	}
	if !f.To.IsZero() {
		detail["to_date"] = jp.ISODate(f.To)
	}
	if err := operator.Record(ctx, s.db, op.ID, ActionExport, "", 0, detail); err != nil {
		return err
	}
	return Export(ctx, s.db, w, f, enc)
}
