package devdb

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// A database dropped by another test binary while prepareDirs walks the data directory
// made every command fail with "lstat …: no such file or directory".
func TestChownWalkToleratesVanishedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	walk := chownWalk(filepath.Join(dir, "lock"), os.Getuid(), os.Getgid())
	gone := filepath.Join(dir, "base", "21122")
	if err := walk(gone, nil, &fs.PathError{Op: "lstat", Path: gone, Err: fs.ErrNotExist}); err != nil {
		t.Errorf("vanished before lstat: %v", err)
	}
	if err := walk(gone, nil, nil); err != nil {
		t.Errorf("vanished before lchown: %v", err)
	}
	if err := walk(dir, nil, fmt.Errorf("readdir: %w", fs.ErrPermission)); err == nil {
		t.Error("other errors must still stop the walk")
	}
	if err := filepath.Walk(dir, walk); err != nil {
		t.Errorf("walk of an existing tree: %v", err)
	}
}
