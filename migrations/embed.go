// Package migrations holds the numbered SQL files that build the schema, embedded in the
// binary and applied by goose (portal migrate, make run, and the test template database),
// strictly in order: a file numbered below one already applied is refused.
//
// Numbers are consecutive except where listed in Gaps; a new file takes the next number.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS

// Gaps are numbers no migration uses, and why: 00004 went unused when the first areas
// were built in parallel, each with its own number, and one of them needed none.
// 00014–00039 are open on the backoffice-b branch only, whose files sit in its range
// 00040–00049 until the integrator renumbers them on merge (then drop this range).
var Gaps = append([]int{4}, numbers(14, 39)...)

// numbers returns from … to.
func numbers(from, to int) []int {
	var out []int
	for n := from; n <= to; n++ {
		out = append(out, n)
	}
	return out
}
