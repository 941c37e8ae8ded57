package volume

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"portal/internal/demo"
	"portal/internal/password"
)

// volumeOperators is how many call-center operators the volume adds to the demo's two:
// the first supervisors of them are supervisors, the rest operators.
const (
	volumeOperators   = 38
	volumeSupervisors = 4
)

// model is a reader of the catalog, with how often facilities choose it.
type model struct {
	id      int64
	maker   string
	product string
}

// Relative popularity of the catalog's readers, in catalog order; readers beyond the list
// get the last weight.
var modelWeights = []int{35, 25, 15, 15, 10}

var (
	hashOnce  sync.Once
	knownHash string
	hashErr   error
)

// passwordHash is Password hashed once with argon2id and shared by every account and
// volume operator: hashing 200,000 passwords would take over an hour on two cores.
func passwordHash() (string, error) {
	hashOnce.Do(func() { knownHash, hashErr = password.Hash(Password) })
	return knownHash, hashErr
}

// fillReference loads the demo's catalog, news and operators (the same rows "portal
// seed-demo" loads), then the volume's operators.
func fillReference(ctx context.Context, tx pgx.Tx, g *gen) error {
	for _, name := range []string{"content", "operators"} {
		i := -1
		for j, s := range demo.Steps {
			if s.Name == name {
				i = j
			}
		}
		if i < 0 {
			return fmt.Errorf("no demo step %q", name)
		}
		if err := demo.Steps[i].Run(ctx, tx); err != nil {
			return fmt.Errorf("demo step %s: %w", name, err)
		}
	}
	hash, err := passwordHash()
	if err != nil {
		return err
	}
	rows := make([][]any, volumeOperators)
	for i := range rows {
		role := "operator"
		if i < volumeSupervisors {
			role = "supervisor"
		}
		rows[i] = []any{fmt.Sprintf("volume-op%02d", i+1), pick(g, surnames) + " " + pick(g, givenNames), role, hash}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"operators"}, []string{"login", "name", "role", "password_hash"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("operators: %w", err)
	}
	r, err := tx.Query(ctx, `SELECT id FROM operators ORDER BY id`)
	if err != nil {
		return err
	}
	if g.operators, err = pgx.CollectRows(r, pgx.RowTo[int64]); err != nil {
		return err
	}
	r, err = tx.Query(ctx, `SELECT id, maker, product FROM card_reader_models WHERE active ORDER BY sort_order, id`)
	if err != nil {
		return err
	}
	g.models, err = pgx.CollectRows(r, func(row pgx.CollectableRow) (model, error) {
		var m model
		return m, row.Scan(&m.id, &m.maker, &m.product)
	})
	if err != nil {
		return err
	}
	if len(g.models) == 0 {
		return fmt.Errorf("the catalog is empty")
	}
	g.logf("  %d card readers in the catalog, %d operators (login volume-op01…volume-op%02d)", len(g.models), len(g.operators), volumeOperators)
	return nil
}

// pickModel chooses a reader by popularity, skipping makers already taken.
func (g *gen) pickModel(taken map[string]bool) (model, bool) {
	total := 0
	weight := func(i int) int {
		if taken[g.models[i].maker] {
			return 0
		}
		return modelWeights[min(i, len(modelWeights)-1)]
	}
	for i := range g.models {
		total += weight(i)
	}
	if total == 0 {
		return model{}, false
	}
	r := g.rng.IntN(total)
	for i := range g.models {
		if r -= weight(i); r < 0 {
			return g.models[i], true
		}
	}
	return model{}, false
}
