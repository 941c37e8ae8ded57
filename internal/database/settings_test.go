package database_test

import (
	"context"
	"net/url"
	"testing"

	"portal/internal/database"
	"portal/internal/testdb"
)

// TestSettingsOnEveryConnection: the portal's own connections run with the settings it
// relies on, whatever the server's defaults, and a setting in the connection string wins.
func TestSettingsOnEveryConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, dbURL := testdb.NewWithURL(t)
	pool, err := database.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for name, want := range database.Settings {
		var got string
		if err := pool.QueryRow(ctx, "SELECT current_setting($1)", name).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}

	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("work_mem", "8MB")
	u.RawQuery = q.Encode()
	own, err := database.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	var workMem, jit string
	if err := own.QueryRow(ctx, "SELECT current_setting('work_mem'), current_setting('jit')").Scan(&workMem, &jit); err != nil {
		t.Fatal(err)
	}
	if workMem != "8MB" || jit != "off" {
		t.Errorf("with work_mem=8MB in the URL: work_mem %s, jit %s", workMem, jit)
	}
}
