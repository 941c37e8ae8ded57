package master

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// createImportTable gives the merge room to sort in memory; temp_buffers only takes effect
// when the session has not used a temporary table yet, and is harmless otherwise.
const createImportTable = `
SET LOCAL work_mem = '64MB';
SET LOCAL temp_buffers = '64MB';
DROP TABLE IF EXISTS pg_temp.facility_import;
CREATE TEMP TABLE facility_import (
    prefecture_code              SMALLINT NOT NULL,
    score_table_code             SMALLINT NOT NULL,
    code                         TEXT NOT NULL,
    kind                         TEXT NOT NULL,
    name                         TEXT NOT NULL,
    founder_name                 TEXT NOT NULL,
    postal_code                  TEXT NOT NULL,
    address                      TEXT NOT NULL,
    phone                        TEXT NOT NULL,
    large_chain_pharmacy         BOOLEAN NOT NULL,
    dental_hospital_with_medical BOOLEAN NOT NULL
) ON COMMIT DROP`

var importColumns = []string{"prefecture_code", "score_table_code", "code", "kind", "name", "founder_name",
	"postal_code", "address", "phone", "large_chain_pharmacy", "dental_hospital_with_medical"}

// mergeImport upserts the copied rows. Rows equal to what is stored are left alone so that
// updated_at keeps meaning "changed"; key order keeps two concurrent imports from deadlocking.
const mergeImport = `
WITH merged AS (
    INSERT INTO facilities AS f (prefecture_code, score_table_code, code, kind, name, founder_name,
                                 postal_code, address, phone, large_chain_pharmacy, dental_hospital_with_medical)
    SELECT prefecture_code, score_table_code, code, kind, name, founder_name,
           postal_code, address, phone, large_chain_pharmacy, dental_hospital_with_medical
    FROM facility_import i
    -- Rows equal to what is stored are left out before the INSERT, which would compute the
    -- search columns (facilities.search_name) of every row it is offered, conflict or not.
    WHERE NOT EXISTS (SELECT 1 FROM facilities s
        WHERE (s.prefecture_code, s.score_table_code, s.code) = (i.prefecture_code, i.score_table_code, i.code)
          AND (s.kind, s.name, s.founder_name, s.postal_code, s.address, s.phone, s.large_chain_pharmacy, s.dental_hospital_with_medical)
              IS NOT DISTINCT FROM
              (i.kind, i.name, i.founder_name, i.postal_code, i.address, i.phone, i.large_chain_pharmacy, i.dental_hospital_with_medical))
    ORDER BY prefecture_code, score_table_code, code
    ON CONFLICT ON CONSTRAINT facilities_identity_key DO UPDATE SET
        kind = EXCLUDED.kind,
        name = EXCLUDED.name,
        founder_name = EXCLUDED.founder_name,
        postal_code = EXCLUDED.postal_code,
        address = EXCLUDED.address,
        phone = EXCLUDED.phone,
        large_chain_pharmacy = EXCLUDED.large_chain_pharmacy,
        dental_hospital_with_medical = EXCLUDED.dental_hospital_with_medical,
        updated_at = now()
    WHERE (f.kind, f.name, f.founder_name, f.postal_code, f.address, f.phone,
           f.large_chain_pharmacy, f.dental_hospital_with_medical)
          IS DISTINCT FROM
          (EXCLUDED.kind, EXCLUDED.name, EXCLUDED.founder_name, EXCLUDED.postal_code, EXCLUDED.address,
           EXCLUDED.phone, EXCLUDED.large_chain_pharmacy, EXCLUDED.dental_hospital_with_medical)
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged`

// store merges checked facilities into the table in one transaction (a savepoint when db
// is already a transaction).
func store(ctx context.Context, db Beginner, facilities []Facility, opt Options) (Result, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("master: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()

	if _, err := tx.Exec(ctx, createImportTable); err != nil {
		return Result{}, fmt.Errorf("master: create import table: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"facility_import"}, importColumns, copySource(facilities, opt)); err != nil {
		return Result{}, fmt.Errorf("master: copy: %w", err)
	}
	opt.progress(StageMerge, 0, len(facilities))
	var res Result
	if err := tx.QueryRow(ctx, mergeImport).Scan(&res.Inserted, &res.Updated); err != nil {
		return Result{}, fmt.Errorf("master: merge: %w", err)
	}
	if _, err := tx.Exec(ctx, "DROP TABLE facility_import"); err != nil {
		return Result{}, fmt.Errorf("master: drop import table: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Result{}, fmt.Errorf("master: commit: %w", err)
	}
	res.Unchanged = len(facilities) - res.Inserted - res.Updated
	opt.progress(StageMerge, len(facilities), len(facilities))
	return res, nil
}

func copySource(facilities []Facility, opt Options) pgx.CopyFromSource {
	return pgx.CopyFromSlice(len(facilities), func(i int) ([]any, error) {
		if i%progressEvery == 0 {
			opt.progress(StageCopy, i, len(facilities))
		}
		f := &facilities[i]
		return []any{int16(f.PrefectureCode), int16(f.ScoreTableCode), f.Code, f.Kind, f.Name, f.FounderName,
			f.PostalCode, f.Address, f.Phone, f.LargeChainPharmacy, f.DentalHospitalWithMedical}, nil
	})
}
