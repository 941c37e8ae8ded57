package web_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWebLayerKnowsNoDatabase keeps the floors apart: no package under internal/web
// imports pgx or internal/database, and none writes the outbox or the audit trail itself.
// A business step is one call into its domain service, which owns the transaction, the
// mail and the audit entry.
func TestWebLayerKnowsNoDatabase(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "github.com/jackc/pgx") || p == "portal/internal/database" {
				t.Errorf("%s imports %s", path, p)
			}
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, call := range []string{"mail.Enqueue(", "mail.Send(", "operator.Record("} {
			if strings.Contains(string(src), call) {
				t.Errorf("%s calls %s: that belongs in a domain service", path, strings.TrimSuffix(call, "("))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d files checked: is the test walking internal/web?", checked)
	}
}
