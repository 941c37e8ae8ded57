package content

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/form"
	"portal/internal/operator"
)

// CatalogInput is the catalog form (カードリーダーカタログ管理) as typed: one product.
type CatalogInput struct {
	Maker    string // メーカー名
	Product  string // 製品名（型番）
	Size     string
	Features string
	Cards    string
	Notes    string
	MakerURL string
}

// Maker is one maker of the catalog with its products in display order, as the back office
// shows them.
type Maker struct {
	Name     string
	Products []CardReaderModel
}

// Audit actions of catalog management.
const (
	ActionCatalogAdd    = "catalog.add"
	ActionCatalogUpdate = "catalog.update"
	ActionCatalogMove   = "catalog.move"
	ActionCatalogHide   = "catalog.hide"
	ActionCatalogShow   = "catalog.show"
)

// TargetCardReader is the audit target type of a catalog product.
const TargetCardReader = "card_reader_model"

// ErrDuplicateProduct means the maker already has a product of that name.
var ErrDuplicateProduct = errors.New("content: the maker already has that product")

// catalogLimits are the longest values the catalog form accepts.
var catalogLimits = map[string]int{"maker": 100, "product": 100, "size": 200, "features": 500, "cards": 200, "notes": 2000, "maker_url": 500}

// CheckCatalog applies the rules to a product as typed.
func CheckCatalog(in CatalogInput) form.Errors {
	var errs form.Errors
	if strings.TrimSpace(in.Maker) == "" {
		errs.Add("maker", "メーカー名を入力してください。")
	}
	if strings.TrimSpace(in.Product) == "" {
		errs.Add("product", "製品名（型番）を入力してください。")
	}
	for field, v := range map[string]string{"maker": in.Maker, "product": in.Product, "size": in.Size, "features": in.Features,
		"cards": in.Cards, "notes": in.Notes, "maker_url": in.MakerURL} {
		if n := utf8.RuneCountInString(v); n > catalogLimits[field] {
			errs.Add(field, fmt.Sprintf("%d文字以下で入力してください（現在%d文字）。", catalogLimits[field], n))
		}
	}
	if in.MakerURL != "" {
		u, err := url.Parse(in.MakerURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs.Add("maker_url", "メーカーのページは「https://」で始まるURLで入力してください。")
		}
	}
	return errs
}

// Makers returns the whole catalog, hidden products included, grouped by maker in display
// order (a maker's place is that of its first product).
func (s *Service) Makers(ctx context.Context) ([]Maker, error) {
	all, err := ListCardReaders(ctx, s.db, false)
	if err != nil {
		return nil, err
	}
	return groupMakers(all), nil
}

func groupMakers(all []CardReaderModel) []Maker {
	var out []Maker
	index := map[string]int{}
	for _, m := range all {
		i, ok := index[m.Maker]
		if !ok {
			i = len(out)
			index[m.Maker] = i
			out = append(out, Maker{Name: m.Maker})
		}
		out[i].Products = append(out[i].Products, m)
	}
	return out
}

// CardReader returns one product of the catalog, hidden or not.
func (s *Service) CardReader(ctx context.Context, id int64) (CardReaderModel, error) {
	return CardReaderByID(ctx, s.db, id)
}

// AddCardReader adds a product at the end of its maker's products (a new maker comes last).
func (s *Service) AddCardReader(ctx context.Context, operatorID int64, in CatalogInput) (int64, error) {
	if errs := CheckCatalog(in); !errs.Valid() {
		return 0, &InvalidError{Errors: errs}
	}
	var id int64
	err := database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := lockCatalog(ctx, tx); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO card_reader_models (maker, product, size, features, cards, notes, maker_url, sort_order, active)
			VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT coalesce(max(sort_order), 0) + 10 FROM card_reader_models), true)
			RETURNING id`, in.Maker, in.Product, in.Size, in.Features, in.Cards, in.Notes, in.MakerURL).Scan(&id)
		if database.IsUniqueViolation(err, "card_reader_models_product_key") {
			return &InvalidError{Errors: form.Errors{"product": "このメーカーには同じ製品名（型番）がすでに登録されています。"}}
		}
		if err != nil {
			return fmt.Errorf("content: add card reader: %w", err)
		}
		if err := renumber(ctx, tx); err != nil {
			return err
		}
		return operator.Record(ctx, tx, operatorID, ActionCatalogAdd, TargetCardReader, id, map[string]string{"maker": in.Maker, "product": in.Product})
	})
	return id, err
}

// UpdateCardReader changes product id. Applications keep pointing at it, so a renamed
// product is shown under its new name on them too.
func (s *Service) UpdateCardReader(ctx context.Context, operatorID, id int64, in CatalogInput) error {
	if errs := CheckCatalog(in); !errs.Valid() {
		return &InvalidError{Errors: errs}
	}
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := lockCatalog(ctx, tx); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE card_reader_models SET maker = $2, product = $3, size = $4, features = $5,
			cards = $6, notes = $7, maker_url = $8 WHERE id = $1`,
			id, in.Maker, in.Product, in.Size, in.Features, in.Cards, in.Notes, in.MakerURL)
		if database.IsUniqueViolation(err, "card_reader_models_product_key") {
			return &InvalidError{Errors: form.Errors{"product": "このメーカーには同じ製品名（型番）がすでに登録されています。"}}
		}
		if err != nil {
			return fmt.Errorf("content: update card reader %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if err := renumber(ctx, tx); err != nil {
			return err
		}
		return operator.Record(ctx, tx, operatorID, ActionCatalogUpdate, TargetCardReader, id, map[string]string{"maker": in.Maker, "product": in.Product})
	})
}

// SetCardReaderShown shows or hides product id on /catalog and in the application form. A
// hidden product stays on the applications that chose it (they name it, and the facility
// may keep it when changing its application).
func (s *Service) SetCardReaderShown(ctx context.Context, operatorID, id int64, shown bool) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE card_reader_models SET active = $2 WHERE id = $1`, id, shown)
		if err != nil {
			return fmt.Errorf("content: show card reader %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		action := ActionCatalogHide
		if shown {
			action = ActionCatalogShow
		}
		return operator.Record(ctx, tx, operatorID, action, TargetCardReader, id, nil)
	})
}

// Directions of a move on the page.
const (
	Up   = -1
	Down = 1
)

// MoveCardReader moves product id one place up or down among its maker's products.
func (s *Service) MoveCardReader(ctx context.Context, operatorID, id int64, dir int) error {
	return s.reorder(ctx, operatorID, id, func(makers []Maker) bool {
		for mi := range makers {
			ps := makers[mi].Products
			for i := range ps {
				if ps[i].ID == id {
					j := i + dir
					if j < 0 || j >= len(ps) {
						return false
					}
					ps[i], ps[j] = ps[j], ps[i]
					return true
				}
			}
		}
		return false
	})
}

// MoveMaker moves the maker of product id, with all its products, one place up or down.
func (s *Service) MoveMaker(ctx context.Context, operatorID, id int64, dir int) error {
	return s.reorder(ctx, operatorID, id, func(makers []Maker) bool {
		for i := range makers {
			for _, p := range makers[i].Products {
				if p.ID == id {
					j := i + dir
					if j < 0 || j >= len(makers) {
						return false
					}
					makers[i], makers[j] = makers[j], makers[i]
					return true
				}
			}
		}
		return false
	})
}

// reorder applies move to the catalog's order and stores it; a move past either end is no
// change. An unknown id is ErrNotFound.
func (s *Service) reorder(ctx context.Context, operatorID, id int64, move func([]Maker) bool) error {
	return database.WithTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := lockCatalog(ctx, tx); err != nil {
			return err
		}
		all, err := ListCardReaders(ctx, tx, false)
		if err != nil {
			return err
		}
		found := false
		for _, m := range all {
			found = found || m.ID == id
		}
		if !found {
			return ErrNotFound
		}
		makers := groupMakers(all)
		if !move(makers) {
			return nil
		}
		if err := store(ctx, tx, makers); err != nil {
			return err
		}
		return operator.Record(ctx, tx, operatorID, ActionCatalogMove, TargetCardReader, id, nil)
	})
}

// lockCatalog serialises the changes to the catalog's order.
func lockCatalog(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `LOCK TABLE card_reader_models IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("content: lock catalog: %w", err)
	}
	return nil
}

// renumber keeps a maker's products together after a product moved to another maker or
// a new one arrived, and spaces the order by tens.
func renumber(ctx context.Context, tx pgx.Tx) error {
	all, err := ListCardReaders(ctx, tx, false)
	if err != nil {
		return err
	}
	return store(ctx, tx, groupMakers(all))
}

// store writes the order of makers and their products as sort_order 10, 20, ….
func store(ctx context.Context, tx pgx.Tx, makers []Maker) error {
	var ids []int64
	for _, m := range makers {
		for _, p := range m.Products {
			ids = append(ids, p.ID)
		}
	}
	_, err := tx.Exec(ctx, `UPDATE card_reader_models m SET sort_order = o.n * 10
		FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, n) WHERE m.id = o.id AND m.sort_order <> o.n * 10`, ids)
	if err != nil {
		return fmt.Errorf("content: store catalog order: %w", err)
	}
	return nil
}
