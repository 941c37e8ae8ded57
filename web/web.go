// Package web holds the portal's templates and static files, embedded in the binary.
package web

import "embed"

// Templates holds layouts/, partials/ and pages/ (one file per page).
//
//go:embed templates
var Templates embed.FS

// Static holds CSS, JavaScript and images served under /static/.
//
//go:embed static
var Static embed.FS
