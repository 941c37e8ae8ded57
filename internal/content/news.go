package content

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// News categories (お知らせの種別).
const (
	CategoryNews      = "お知らせ"
	CategoryImportant = "重要なお知らせ"
)

// Categories lists the categories in the order the form offers them.
var Categories = []string{CategoryNews, CategoryImportant}

// Limits of a news item.
const (
	MaxNewsTitle = 200
	MaxNewsBody  = 20000
)

// News is one お知らせ shown on the top page, under /news and in /news.atom from its publish
// time on. A draft has no publish time; a scheduled item has one in the future.
type News struct {
	ID       int64
	Category string
	Title    string
	// Body is plain text in the portal's small markup (see Markup): paragraphs by blank
	// line, bare URLs and [text](url) links. It is never HTML.
	Body string
	// PublishAt is when visitors first see it; nil for a draft.
	PublishAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	// UpdatedBy is the operator who last saved it (0 for the demo data).
	UpdatedBy int64
}

// Important reports whether the item is a 重要なお知らせ.
func (n News) Important() bool { return n.Category == CategoryImportant }

// PublishedOn is the publish time (the zero time for a draft), for the lists' dates.
func (n News) PublishedOn() time.Time {
	if n.PublishAt == nil {
		return time.Time{}
	}
	return *n.PublishAt
}

// Publication states as the back office shows them.
const (
	StateDraft     = "下書き"
	StateScheduled = "公開予約"
	StatePublished = "公開中"
)

// State says whether the item is a draft, scheduled or published at now.
func (n News) State(now time.Time) string {
	switch {
	case n.PublishAt == nil:
		return StateDraft
	case n.PublishAt.After(now):
		return StateScheduled
	}
	return StatePublished
}

// Paragraphs is the body in the small markup, for the templates.
func (n News) Paragraphs() []Paragraph { return Markup(n.Body) }

const newsColumns = `id, category, title, body, publish_at, created_at, updated_at, coalesce(updated_by, 0)`

func scanNews(row pgx.Row) (News, error) {
	var n News
	err := row.Scan(&n.ID, &n.Category, &n.Title, &n.Body, &n.PublishAt, &n.CreatedAt, &n.UpdatedAt, &n.UpdatedBy)
	return n, err
}

func collectNews(rows pgx.Rows, err error) ([]News, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (News, error) { return scanNews(r) })
}

// ListNews returns at most limit published news items (publish time passed), newest first,
// skipping offset items.
func ListNews(ctx context.Context, db database.DB, limit, offset int) ([]News, error) {
	if limit <= 0 {
		return nil, nil
	}
	items, err := collectNews(db.Query(ctx, `SELECT `+newsColumns+` FROM news
		WHERE publish_at <= now() ORDER BY publish_at DESC, id DESC LIMIT $1 OFFSET $2`, limit, max(offset, 0)))
	if err != nil {
		return nil, fmt.Errorf("content: list news: %w", err)
	}
	return items, nil
}

// CountNews returns how many news items are published, for paging.
func CountNews(ctx context.Context, db database.DB) (int, error) {
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM news WHERE publish_at <= now()`).Scan(&n); err != nil {
		return 0, fmt.Errorf("content: count news: %w", err)
	}
	return n, nil
}

// NextPublish returns the earliest publish time still to come, or nil: the top page's
// shared rendering must not outlive it.
func NextPublish(ctx context.Context, db database.DB) (*time.Time, error) {
	var at *time.Time
	if err := db.QueryRow(ctx, `SELECT min(publish_at) FROM news WHERE publish_at > now()`).Scan(&at); err != nil {
		return nil, fmt.Errorf("content: next publish: %w", err)
	}
	return at, nil
}

// NewsByID returns one published news item, or ErrNotFound (for a draft or a scheduled
// one too: visitors must not read it early).
func NewsByID(ctx context.Context, db database.DB, id int64) (News, error) {
	n, err := scanNews(db.QueryRow(ctx, `SELECT `+newsColumns+` FROM news WHERE id = $1 AND publish_at <= now()`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return News{}, ErrNotFound
	}
	if err != nil {
		return News{}, fmt.Errorf("content: news %d: %w", id, err)
	}
	return n, nil
}

// AnyNewsByID returns one news item whatever its state (the back office), or ErrNotFound.
func AnyNewsByID(ctx context.Context, db database.DB, id int64) (News, error) {
	n, err := scanNews(db.QueryRow(ctx, `SELECT `+newsColumns+` FROM news WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return News{}, ErrNotFound
	}
	if err != nil {
		return News{}, fmt.Errorf("content: news %d: %w", id, err)
	}
	return n, nil
}

// AllNews lists every item for the back office: drafts and scheduled items first (newest
// change first), then the published ones, newest first; at most limit.
func AllNews(ctx context.Context, db database.DB, limit, offset int) ([]News, error) {
	items, err := collectNews(db.Query(ctx, `SELECT `+newsColumns+` FROM news
		ORDER BY (publish_at IS NOT NULL AND publish_at <= now()), coalesce(publish_at, updated_at) DESC, id DESC
		LIMIT $1 OFFSET $2`, limit, max(offset, 0)))
	if err != nil {
		return nil, fmt.Errorf("content: all news: %w", err)
	}
	return items, nil
}

// CountAllNews returns how many items exist in any state.
func CountAllNews(ctx context.Context, db database.DB) (int, error) {
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM news`).Scan(&n); err != nil {
		return 0, fmt.Errorf("content: count all news: %w", err)
	}
	return n, nil
}

// InsertNews stores n and returns its new ID. An empty category becomes 「お知らせ」.
func InsertNews(ctx context.Context, db database.DB, n News) (int64, error) {
	if strings.TrimSpace(n.Title) == "" || strings.TrimSpace(n.Body) == "" {
		return 0, errors.New("content: insert news: title and body are required")
	}
	if n.Category == "" {
		n.Category = CategoryNews
	}
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO news (category, title, body, publish_at, updated_by)
		VALUES ($1, $2, $3, $4, NULLIF($5::bigint, 0)) RETURNING id`,
		n.Category, n.Title, n.Body, n.PublishAt, n.UpdatedBy).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("content: insert news: %w", err)
	}
	return id, nil
}

// UpdateNews changes the news item n.ID (category, title, body, publish time), or returns
// ErrNotFound.
func UpdateNews(ctx context.Context, db database.DB, n News) error {
	if n.Category == "" {
		n.Category = CategoryNews
	}
	tag, err := db.Exec(ctx, `UPDATE news SET category = $2, title = $3, body = $4, publish_at = $5,
		updated_at = now(), updated_by = NULLIF($6::bigint, 0) WHERE id = $1`,
		n.ID, n.Category, n.Title, n.Body, n.PublishAt, n.UpdatedBy)
	if err != nil {
		return fmt.Errorf("content: update news %d: %w", n.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteNews removes the news item id, or returns ErrNotFound.
func DeleteNews(ctx context.Context, db database.DB, id int64) error {
	tag, err := db.Exec(ctx, `DELETE FROM news WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("content: delete news %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
