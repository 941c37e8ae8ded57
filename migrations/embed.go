// Package migrations holds the numbered SQL files that build the schema, embedded in the
// binary and applied by goose (portal migrate, make run, and the test template database).
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
