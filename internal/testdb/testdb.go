// Package testdb gives each test its own PostgreSQL database, copied from a template that
// is migrated once per schema version, so tests run in parallel against the real thing.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/database"
	"portal/internal/devdb"
	"portal/internal/jobs"
	"portal/migrations"
)

var (
	once     sync.Once
	adminURL string
	tmplName string
	setupErr error
)

// New returns a pool on a fresh, migrated database that is dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewWithURL(t)
	return pool
}

// NewWithURL is New that also returns the database's connection string, for tests that
// start a second process or pool on the same database.
func NewWithURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	once.Do(func() { setupErr = setup(ctx) })
	if setupErr != nil {
		t.Fatalf("testdb: %v", setupErr)
	}
	name := "t_" + randomHex(8)
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, tmplName)); err != nil {
		t.Fatalf("testdb: create %s: %v", name, err)
	}
	dbURL := withDatabase(adminURL, name)
	pool, err := database.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		c, err := pgx.Connect(context.Background(), adminURL)
		if err != nil {
			t.Logf("testdb: drop %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("testdb: drop %s: %v", name, err)
		}
	})
	return pool, dbURL
}

// Embedded reports whether the test databases live in the checkout's private development
// cluster (internal/devdb), i.e. DATABASE_URL is unset: only then may a test run the
// portal with its development mailbox (config.Config.EmbeddedDatabase).
func Embedded() bool { return os.Getenv("DATABASE_URL") == "" }

func setup(ctx context.Context) error {
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		root, err := devdb.Root()
		if err != nil {
			return err
		}
		if base, err = devdb.URL(ctx, root); err != nil {
			return err
		}
	}
	adminURL = withDatabase(base, "postgres")
	sum, err := schemaHash()
	if err != nil {
		return err
	}
	tmplName = "tmpl_" + sum
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(ctx)
	// Test binaries of several packages start at once: one builds the template, the
	// others wait on the advisory lock and then find it.
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock(727274)"); err != nil {
		return err
	}
	defer admin.Exec(context.Background(), "SELECT pg_advisory_unlock(727274)") //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmplName).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := tmplName + "_building"
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return err
	}
	pool, err := database.Open(ctx, withDatabase(adminURL, building))
	if err != nil {
		return err
	}
	migrateErr := database.Migrate(ctx, pool, nil)
	if migrateErr == nil {
		migrateErr = jobs.Migrate(ctx, pool, nil)
	}
	pool.Close()
	if migrateErr != nil {
		return migrateErr
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, tmplName)); err != nil {
		return err
	}
	return nil
}

// schemaHash names the template after the migrations' content and River's schema version,
// so a changed migration gets a new template while an unchanged one is reused across runs. Old templates are left in
// place: another test run on another schema may be copying one right now (rm -rf .dev
// clears them all).
func schemaHash() (string, error) {
	h := sha256.New()
	var files []string
	err := fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	river, err := jobs.SchemaVersion()
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "river %d\n", river)
	for _, f := range files {
		b, err := migrations.FS.ReadFile(f)
		if err != nil {
			return "", err
		}
		h.Write([]byte(f))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
