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
// were built in parallel, each with its own number, and one of them needed none; 00014–00049
// are left to the branches built beside the conversation branch (00050–00059), whose
// numbers the integrator moves down when merging.
var Gaps = []int{4, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49}
