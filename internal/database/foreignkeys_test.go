package database_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
	"portal/internal/testdb"
)

// unindexedForeignKeys lists the foreign keys of the schema that no index supports: an
// index supports a key when its leading columns are the key's columns (in any order) and
// it is either whole or partial on "column IS NOT NULL" (which "column = $1" implies).
// Without one, a facility's rows are found by scanning the whole table, and deleting a
// referenced row scans the referencing table too.
func unindexedForeignKeys(ctx context.Context, db database.DB) ([]string, error) {
	rows, err := db.Query(ctx, `
		SELECT c.conrelid::regclass::text, c.conname,
		       array_to_string(array(SELECT a.attname FROM unnest(c.conkey) k
		                             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k ORDER BY a.attname), ', ')
		FROM pg_constraint c
		WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
		  AND NOT EXISTS (
			SELECT 1 FROM pg_index i
			WHERE i.indrelid = c.conrelid
			  AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
			  AND (i.indpred IS NULL OR (cardinality(c.conkey) = 1 AND pg_get_expr(i.indpred, i.indrelid) =
			       '(' || (SELECT quote_ident(a.attname) FROM pg_attribute a
			               WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) || ' IS NOT NULL)')))
		ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var table, name, columns string
		err := r.Scan(&table, &name, &columns)
		return table + "." + name + " (" + columns + "): CREATE INDEX ON " + table + " (" + columns + ")", err
	})
}

// TestEveryForeignKeyHasAnIndex holds every table, today's and those added later, to an
// index per foreign key.
func TestEveryForeignKeyHasAnIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	missing, err := unindexedForeignKeys(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Fatalf("foreign keys without a supporting index (add one in a migration):\n  %s", strings.Join(missing, "\n  "))
	}
}

// TestForeignKeyCheckSeesMissingIndexes proves the check finds what it should: a key with
// no index, a key whose only index is partial on something else (as the card reader
// applications' facility_id once was), and a key behind the leading column of an index;
// and accepts a whole index, a partial one on IS NOT NULL and a composite one led by the key.
func TestForeignKeyCheckSeesMissingIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	_, err := pool.Exec(ctx, `
		CREATE TABLE fk_parent (id BIGINT PRIMARY KEY);
		CREATE TABLE fk_child (
			id BIGINT PRIMARY KEY,
			bare BIGINT REFERENCES fk_parent (id),
			partial_other BIGINT REFERENCES fk_parent (id),
			second BIGINT REFERENCES fk_parent (id),
			whole BIGINT REFERENCES fk_parent (id),
			partial_not_null BIGINT REFERENCES fk_parent (id),
			lead BIGINT REFERENCES fk_parent (id),
			status TEXT);
		CREATE INDEX ON fk_child (partial_other) WHERE status <> 'x';
		CREATE INDEX ON fk_child (id, second);
		CREATE INDEX ON fk_child (whole);
		CREATE INDEX ON fk_child (partial_not_null) WHERE partial_not_null IS NOT NULL;
		CREATE INDEX ON fk_child (lead, status);`)
	if err != nil {
		t.Fatal(err)
	}
	missing, err := unindexedForeignKeys(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range missing {
		if strings.HasPrefix(m, "fk_child.") {
			got = append(got, strings.SplitN(strings.TrimPrefix(m, "fk_child."), " ", 2)[0])
		}
	}
	want := []string{"fk_child_bare_fkey", "fk_child_partial_other_fkey", "fk_child_second_fkey"}
	if !slices.Equal(got, want) {
		t.Fatalf("unindexed keys %v, want %v", got, want)
	}
}
