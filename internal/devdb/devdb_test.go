package devdb

import (
	"os"
	"os/user"
	"path/filepath"
	"syscall"
	"testing"
)

// prepareDirs once walked the whole data folder to chown it, which failed with "lstat …: no
// such file or directory" whenever another test binary dropped a database meanwhile. It
// must hand over only the folders it creates and leave the data folder alone.
func TestPrepareDirsLeavesTheDataFolderAlone(t *testing.T) {
	t.Parallel()
	base := filepath.Join(t.TempDir(), "pg")
	c := &cluster{base: base, data: filepath.Join(base, "data"), socket: filepath.Join(base, "run"), logFile: filepath.Join(base, "postgres.log")}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		c.owner = u
	}
	inData := filepath.Join(c.data, "base", "12345")
	if err := os.MkdirAll(inData, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := c.prepareDirs(); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{c.base, c.socket} {
		if _, err := os.Stat(d); err != nil {
			t.Fatalf("%s not created: %v", d, err)
		}
	}
	if c.owner == nil {
		return
	}
	owner := func(p string) uint32 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Uid
	}
	if got := owner(c.base); got == 0 {
		t.Errorf("%s still owned by root", c.base)
	}
	if got := owner(inData); got != 0 {
		t.Errorf("prepareDirs walked into the data folder (owner %d)", got)
	}
}
