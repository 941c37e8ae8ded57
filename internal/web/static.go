package web

import (
	"io/fs"
	"net/http"
	"strings"
	"unicode/utf8"
)

// staticFiles serves the files of fsys by the path left after StripPrefix. A name no file
// can have (invalid UTF-8, NUL, "..", a backslash) and a directory are a plain 404:
// http.FileServer would answer the first with a 500 and the second with a listing.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	notFound := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Del("Cache-Control") // a missing file may be deployed in a minute
		http.NotFound(w, r)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if name == "" || !utf8.ValidString(name) || !fs.ValidPath(name) || strings.ContainsAny(name, "\x00\\") {
			notFound(w, r)
			return
		}
		if info, err := fs.Stat(fsys, name); err != nil || info.IsDir() {
			notFound(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
}
