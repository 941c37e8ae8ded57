package content

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Service reads the public pages' content from the database, and runs the supervisors'
// steps on it (news, the card reader catalog), each audited in its transaction.
type Service struct {
	db *pgxpool.Pool
	// Now is the clock of the rules (publish times); tests may set it.
	Now func() time.Time
}

// NewService returns the content service on db.
func NewService(db *pgxpool.Pool) *Service { return &Service{db: db, Now: time.Now} }

func (s *Service) now() time.Time { return s.Now() }

// News returns a page of published お知らせ, newest first.
func (s *Service) News(ctx context.Context, limit, offset int) ([]News, error) {
	return ListNews(ctx, s.db, limit, offset)
}

// HomeNews returns the newest published お知らせ and the next publish time still to come
// (nil if none), so a cached rendering can end when a scheduled item goes live.
func (s *Service) HomeNews(ctx context.Context, limit int) ([]News, *time.Time, error) {
	news, err := ListNews(ctx, s.db, limit, 0)
	if err != nil {
		return nil, nil, err
	}
	next, err := NextPublish(ctx, s.db)
	if err != nil {
		return nil, nil, err
	}
	return news, next, nil
}

// NextPublish is the next publish time still to come, or nil: a cached rendering of a
// news page ends then.
func (s *Service) NextPublish(ctx context.Context) (*time.Time, error) { return NextPublish(ctx, s.db) }

// CountNews returns how many お知らせ are published.
func (s *Service) CountNews(ctx context.Context) (int, error) { return CountNews(ctx, s.db) }

// NewsByID returns one published お知らせ.
func (s *Service) NewsByID(ctx context.Context, id int64) (News, error) {
	return NewsByID(ctx, s.db, id)
}

// CardReaders returns the catalog's readers (only those offered when activeOnly).
func (s *Service) CardReaders(ctx context.Context, activeOnly bool) ([]CardReaderModel, error) {
	return ListCardReaders(ctx, s.db, activeOnly)
}
