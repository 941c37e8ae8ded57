package auditlog_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"portal/internal/auditlog"
)

// actionCode is what an audit action looks like: "<area>.<verb>".
var actionCode = regexp.MustCompile(`^[a-z_]+\.[a-z_]+$`)

// TestEveryWrittenActionHasALabel walks every non-test Go file under internal/ and
// collects the audit actions the code writes: string constants named Audit… or Action…
// whose value looks like an action, and string literals passed to operator.Record. Each
// must have its Japanese label in auditlog.Actions, so an action added anywhere (by any
// area) fails here until it is named.
func TestEveryWrittenActionHasALabel(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..")
	found := map[string]string{} // action → where
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if i >= len(n.Values) || !(strings.HasPrefix(name.Name, "Audit") || strings.HasPrefix(name.Name, "Action")) {
						continue
					}
					if v, ok := stringLit(n.Values[i]); ok && actionCode.MatchString(v) {
						found[v] = fset.Position(name.Pos()).String()
					}
				}
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Record" || len(n.Args) < 4 {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "operator" {
					return true
				}
				if v, ok := stringLit(n.Args[3]); ok {
					found[v] = fset.Position(n.Pos()).String()
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 20 {
		t.Fatalf("only %d actions found: the walk missed the code (%v)", len(found), found)
	}
	for action, where := range found {
		if !auditlog.KnownAction(action) {
			t.Errorf("%s writes audit action %q, which has no label in auditlog.Actions", where, action)
		}
	}
	// And the table names nothing twice and has no empty labels.
	seen := map[string]bool{}
	for _, a := range auditlog.Actions {
		if seen[a.Code] || a.Label == "" || a.Label == a.Code {
			t.Errorf("label table entry %+v", a)
		}
		seen[a.Code] = true
	}
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
