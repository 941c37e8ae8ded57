package content

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

// CardReaderModel is one product of the 顔認証付きカードリーダーカタログ. Fields the fund
// does not know are empty rather than guessed.
type CardReaderModel struct {
	ID        int64
	Maker     string // メーカー名
	Product   string // 製品名（型番）
	Size      string
	Features  string
	Cards     string // 対応カード
	Notes     string
	MakerURL  string
	SortOrder int
	Active    bool
}

// Label is the 「メーカー名／製品名（型番）」 text of application forms.
func (m CardReaderModel) Label() string { return m.Maker + "／" + m.Product }

const cardReaderColumns = `id, maker, product, size, features, cards, notes, maker_url, sort_order, active`

func scanCardReader(row pgx.Row) (CardReaderModel, error) {
	var m CardReaderModel
	err := row.Scan(&m.ID, &m.Maker, &m.Product, &m.Size, &m.Features, &m.Cards, &m.Notes, &m.MakerURL, &m.SortOrder, &m.Active)
	return m, err
}

// ListCardReaders returns the catalog in display order; with activeOnly, withdrawn models
// are left out (the public catalog and the application form use that).
func ListCardReaders(ctx context.Context, db database.DB, activeOnly bool) ([]CardReaderModel, error) {
	rows, err := db.Query(ctx, `SELECT `+cardReaderColumns+` FROM card_reader_models
		WHERE active OR NOT $1 ORDER BY sort_order, maker, product`, activeOnly)
	if err != nil {
		return nil, fmt.Errorf("content: list card readers: %w", err)
	}
	models, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CardReaderModel, error) { return scanCardReader(r) })
	if err != nil {
		return nil, fmt.Errorf("content: list card readers: %w", err)
	}
	return models, nil
}

// CardReaderByID returns one catalog entry, or ErrNotFound.
func CardReaderByID(ctx context.Context, db database.DB, id int64) (CardReaderModel, error) {
	m, err := scanCardReader(db.QueryRow(ctx, `SELECT `+cardReaderColumns+` FROM card_reader_models WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return CardReaderModel{}, ErrNotFound
	}
	if err != nil {
		return CardReaderModel{}, fmt.Errorf("content: card reader %d: %w", id, err)
	}
	return m, nil
}

// UpsertCardReader stores m keyed by (maker, product): a new entry is inserted, an
// existing one gets every other field from m. It returns the entry's ID.
func UpsertCardReader(ctx context.Context, db database.DB, m CardReaderModel) (int64, error) {
	if strings.TrimSpace(m.Maker) == "" || strings.TrimSpace(m.Product) == "" {
		return 0, errors.New("content: upsert card reader: maker and product are required")
	}
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO card_reader_models
			(maker, product, size, features, cards, notes, maker_url, sort_order, active)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT ON CONSTRAINT card_reader_models_product_key DO UPDATE SET
			size = EXCLUDED.size, features = EXCLUDED.features, cards = EXCLUDED.cards,
			notes = EXCLUDED.notes, maker_url = EXCLUDED.maker_url,
			sort_order = EXCLUDED.sort_order, active = EXCLUDED.active
		RETURNING id`,
		m.Maker, m.Product, m.Size, m.Features, m.Cards, m.Notes, m.MakerURL, m.SortOrder, m.Active).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("content: upsert card reader: %w", err)
	}
	return id, nil
}
