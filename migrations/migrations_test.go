package migrations

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestNumbering fails when a migration file breaks the sequence: two files with one
// number, or a hole not listed in Gaps.
func TestNumbering(t *testing.T) {
	files, err := fs.Glob(FS, "*.sql")
	if err != nil || len(files) == 0 {
		t.Fatal(files, err)
	}
	seen := map[int]string{}
	last := 0
	for _, f := range files {
		n, err := strconv.Atoi(strings.SplitN(f, "_", 2)[0])
		if err != nil {
			t.Fatalf("%s: not numbered", f)
		}
		if other, dup := seen[n]; dup {
			t.Errorf("%s and %s share number %d", f, other, n)
		}
		seen[n] = f
		last = max(last, n)
	}
	for n := 1; n <= last; n++ {
		_, ok := seen[n]
		switch gap := slices.Contains(Gaps, n); {
		case !ok && !gap:
			t.Errorf("no migration numbered %05d and it is not listed in Gaps", n)
		case ok && gap:
			t.Errorf("migration %s uses a number listed in Gaps", seen[n])
		}
	}
}
