package content

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Service reads the public pages' content from the database.
type Service struct{ db *pgxpool.Pool }

// NewService returns the content service on db.
func NewService(db *pgxpool.Pool) *Service { return &Service{db: db} }

// News returns a page of お知らせ, newest first.
func (s *Service) News(ctx context.Context, limit, offset int) ([]News, error) {
	return ListNews(ctx, s.db, limit, offset)
}

// CountNews returns how many お知らせ there are.
func (s *Service) CountNews(ctx context.Context) (int, error) { return CountNews(ctx, s.db) }

// NewsByID returns one お知らせ.
func (s *Service) NewsByID(ctx context.Context, id int64) (News, error) {
	return NewsByID(ctx, s.db, id)
}

// CardReaders returns the catalog's readers (only those offered when activeOnly).
func (s *Service) CardReaders(ctx context.Context, activeOnly bool) ([]CardReaderModel, error) {
	return ListCardReaders(ctx, s.db, activeOnly)
}
