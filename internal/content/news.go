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

// News is one お知らせ shown on the top page and under /news.
type News struct {
	ID          int64
	PublishedOn time.Time
	Category    string
	Title       string
	Body        string
	Important   bool
	CreatedAt   time.Time
}

const newsColumns = `id, published_on, category, title, body, important, created_at`

func scanNews(row pgx.Row) (News, error) {
	var n News
	err := row.Scan(&n.ID, &n.PublishedOn, &n.Category, &n.Title, &n.Body, &n.Important, &n.CreatedAt)
	return n, err
}

// ListNews returns at most limit news items, newest first, skipping offset items.
func ListNews(ctx context.Context, db database.DB, limit, offset int) ([]News, error) {
	if limit <= 0 {
		return nil, nil
	}
	if offset < 0 {
		offset = 0
	}
	rows, err := db.Query(ctx, `SELECT `+newsColumns+` FROM news
		ORDER BY published_on DESC, id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("content: list news: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (News, error) { return scanNews(r) })
	if err != nil {
		return nil, fmt.Errorf("content: list news: %w", err)
	}
	return items, nil
}

// CountNews returns how many news items exist, for paging.
func CountNews(ctx context.Context, db database.DB) (int, error) {
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM news`).Scan(&n); err != nil {
		return 0, fmt.Errorf("content: count news: %w", err)
	}
	return n, nil
}

// NewsByID returns one news item, or ErrNotFound.
func NewsByID(ctx context.Context, db database.DB, id int64) (News, error) {
	n, err := scanNews(db.QueryRow(ctx, `SELECT `+newsColumns+` FROM news WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return News{}, ErrNotFound
	}
	if err != nil {
		return News{}, fmt.Errorf("content: news %d: %w", id, err)
	}
	return n, nil
}

// InsertNews stores n and returns its new ID. An empty category becomes 「お知らせ」.
func InsertNews(ctx context.Context, db database.DB, n News) (int64, error) {
	if strings.TrimSpace(n.Title) == "" || strings.TrimSpace(n.Body) == "" {
		return 0, errors.New("content: insert news: title and body are required")
	}
	if n.Category == "" {
		n.Category = "お知らせ"
	}
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO news (published_on, category, title, body, important)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		n.PublishedOn, n.Category, n.Title, n.Body, n.Important).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("content: insert news: %w", err)
	}
	return id, nil
}

// UpdateNews changes the news item n.ID, or returns ErrNotFound.
func UpdateNews(ctx context.Context, db database.DB, n News) error {
	if n.Category == "" {
		n.Category = "お知らせ"
	}
	tag, err := db.Exec(ctx, `UPDATE news SET published_on = $2, category = $3, title = $4, body = $5,
		important = $6 WHERE id = $1`, n.ID, n.PublishedOn, n.Category, n.Title, n.Body, n.Important)
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
