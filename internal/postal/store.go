package postal

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
)

// Version describes the data imported into the database.
type Version struct {
	// Number grows by one with every import; 0 means nothing was ever imported.
	Number   int64
	Source   string
	RowCount int
}

// ImportKenAll validates a whole utf_ken_all.csv and then replaces the postal data in the
// database with it in one transaction. On any problem nothing is replaced and the error
// is an *ImportError with line numbers.
func ImportKenAll(ctx context.Context, pool *pgxpool.Pool, r io.Reader, source string) (Version, error) {
	records, err := ParseKenAll(r)
	if err != nil {
		return Version{}, err
	}
	return Import(ctx, pool, source, records)
}

// Import replaces the postal data in the database with records in one transaction and
// bumps the version, so every instance reloads within its check interval.
func Import(ctx context.Context, pool *pgxpool.Pool, source string, records []Record) (Version, error) {
	snap, err := NewSnapshot(source, records)
	if err != nil {
		return Version{}, err
	}
	all := snap.Records()
	v := Version{Source: source, RowCount: len(all)}
	err = database.WithTx(ctx, pool, func(tx pgx.Tx) error {
		// Serialises concurrent imports; readers are not blocked.
		if _, err := tx.Exec(ctx, "LOCK TABLE postal_data_version IN EXCLUSIVE MODE"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM postal_codes"); err != nil {
			return err
		}
		seq := 0
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"postal_codes"}, []string{"code", "seq", "prefecture_code", "city", "town"},
			pgx.CopyFromSlice(len(all), func(i int) ([]any, error) {
				if i > 0 && all[i-1].Code == all[i].Code {
					seq++
				} else {
					seq = 0
				}
				r := all[i]
				return []any{r.Code, seq, r.PrefectureCode, r.City, r.Town}, nil
			}))
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO postal_data_version (version, source, row_count) VALUES (1, $1, $2)
			ON CONFLICT (singleton) DO UPDATE SET version = postal_data_version.version + 1,
				source = EXCLUDED.source, row_count = EXCLUDED.row_count, imported_at = now()
			RETURNING version`, source, len(all)).Scan(&v.Number)
	})
	if err != nil {
		return Version{}, fmt.Errorf("postal: import: %w", err)
	}
	return v, nil
}

// CurrentVersion returns the version of the imported data; Number 0 when none.
func CurrentVersion(ctx context.Context, db database.DB) (Version, error) {
	var v Version
	err := db.QueryRow(ctx, "SELECT version, source, row_count FROM postal_data_version").Scan(&v.Number, &v.Source, &v.RowCount)
	if errors.Is(err, pgx.ErrNoRows) {
		return Version{}, nil
	}
	if err != nil {
		return Version{}, fmt.Errorf("postal: read version: %w", err)
	}
	return v, nil
}

// loadSnapshot reads the imported data and its version in one snapshot of the database,
// so an import committing meanwhile cannot mix two versions.
func loadSnapshot(ctx context.Context, pool *pgxpool.Pool) (*Snapshot, Version, error) {
	var (
		snap *Snapshot
		v    Version
	)
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, Version{}, fmt.Errorf("postal: load: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if v, err = CurrentVersion(ctx, tx); err != nil || v.Number == 0 {
		return nil, v, err
	}
	rows, err := tx.Query(ctx, "SELECT code, prefecture_code, city, town FROM postal_codes ORDER BY code, seq")
	if err != nil {
		return nil, Version{}, fmt.Errorf("postal: load: %w", err)
	}
	records := make([]Record, 0, v.RowCount)
	var r Record
	_, err = pgx.ForEachRow(rows, []any{&r.Code, &r.PrefectureCode, &r.City, &r.Town}, func() error {
		records = append(records, r)
		return nil
	})
	if err != nil {
		return nil, Version{}, fmt.Errorf("postal: load: %w", err)
	}
	if snap, err = NewSnapshot(fmt.Sprintf("%s (import %d)", v.Source, v.Number), records); err != nil {
		return nil, Version{}, err
	}
	return snap, v, nil
}
