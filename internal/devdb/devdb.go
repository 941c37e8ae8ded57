// Package devdb runs the private PostgreSQL cluster that development and tests use when
// DATABASE_URL is unset. The cluster lives under .dev/pg of the checkout, listens on a Unix
// socket only, and keeps running after the command that started it, so the next command
// (make run, portal master import, go test) finds it and reuses it.
package devdb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Database is the name of the application database inside the private cluster.
const Database = "portal"

const (
	superuser = "portal"
	port      = 5432
)

// URL makes sure the private cluster of the checkout containing dir is initialised and
// running, creates the application database, and returns its connection string.
func URL(ctx context.Context, dir string) (string, error) {
	return URLFor(ctx, dir, Database)
}

// URLFor is URL for another database of the same cluster (created when missing), such as
// the volume database that "portal volume fill" fills, which leaves the demo data alone.
func URLFor(ctx context.Context, dir, database string) (string, error) {
	c, err := newCluster(dir)
	if err != nil {
		return "", err
	}
	if err := c.ensure(ctx, database); err != nil {
		return "", fmt.Errorf("devdb: %w", err)
	}
	return c.url(database), nil
}

// Installed reports whether PostgreSQL's server programs are on this machine (Debian's
// packages or pg_ctl on PATH), with the reason when they are not.
func Installed() error {
	_, err := binDir()
	return err
}

// Cluster is a private PostgreSQL cluster that a test owns: started by Start, stopped and
// started again at will, to see how the portal lives through PostgreSQL going away.
type Cluster struct{ c *cluster }

// Start initialises and starts a private cluster under root/.dev/pg (root is a temporary
// folder, never a checkout whose cluster others use) with the application database.
func Start(ctx context.Context, root string) (*Cluster, error) {
	c, err := newCluster(root)
	if err != nil {
		return nil, err
	}
	if err := c.ensure(ctx, Database); err != nil {
		return nil, fmt.Errorf("devdb: %w", err)
	}
	return &Cluster{c: c}, nil
}

// URL is the connection string of database db in the cluster.
func (c *Cluster) URL(db string) string { return c.c.url(db) }

// Stop shuts the cluster down the way an operator's restart does (pg_ctl stop -m fast):
// sessions are ended and connections refused until Restart.
func (c *Cluster) Stop(ctx context.Context) error {
	if err := c.c.run(ctx, "pg_ctl", "stop", "-w", "-m", "fast", "-D", c.c.data); err != nil {
		return fmt.Errorf("devdb: stop: %w", err)
	}
	return nil
}

// Restart starts the cluster again after Stop.
func (c *Cluster) Restart(ctx context.Context) error {
	if err := c.c.ensure(ctx, Database); err != nil {
		return fmt.Errorf("devdb: restart: %w", err)
	}
	return nil
}

// Root finds the checkout holding the working directory (the nearest folder with go.mod),
// falling back to the working directory itself.
func Root() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("devdb: working directory: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return wd, nil
		}
	}
}

type cluster struct {
	base, data, socket, logFile string
	bin                         string
	owner                       *user.User // nil unless we run as root and must drop to postgres
}

func newCluster(root string) (*cluster, error) {
	abs, err := filepath.Abs(filepath.Join(root, ".dev", "pg"))
	if err != nil {
		return nil, fmt.Errorf("devdb: %w", err)
	}
	c := &cluster{base: abs, data: filepath.Join(abs, "data"), logFile: filepath.Join(abs, "postgres.log")}
	c.socket = filepath.Join(abs, "run")
	// A Unix socket path must fit in 107 bytes; deep checkouts get a short one under /tmp.
	if len(c.socket)+len("/.s.PGSQL.5432") > 100 {
		sum := sha256.Sum256([]byte(abs))
		c.socket = "/tmp/portal-pg-" + hex.EncodeToString(sum[:6])
	}
	c.bin, err = binDir()
	if err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if c.owner, err = user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("devdb: running as root needs the postgres user (apt-get install postgresql): %w", err)
		}
	}
	return c, nil
}

// binDir finds the newest PostgreSQL installed by Debian's packages, or pg_ctl on PATH.
func binDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("devdb: PostgreSQL is not installed (apt-get install postgresql), or set DATABASE_URL")
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func (c *cluster) url(db string) string {
	q := url.Values{"host": {c.socket}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}
	return fmt.Sprintf("postgres://%s@/%s?%s", superuser, db, q.Encode())
}

func (c *cluster) ensure(ctx context.Context, database string) error {
	if err := os.MkdirAll(c.base, 0o755); err != nil {
		return err
	}
	unlock, err := lockFile(filepath.Join(c.base, "lock"))
	if err != nil {
		return err
	}
	defer unlock()
	if err := c.prepareDirs(); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.run(ctx, "initdb", "-D", c.data, "-U", superuser, "--auth=trust", "-E", "UTF8", "--no-locale"); err != nil {
			return fmt.Errorf("initdb: %w", err)
		}
	}
	if c.run(ctx, "pg_ctl", "status", "-D", c.data) != nil {
		// Parallel tests each hold a pool on their own database: allow plenty of clients.
		// synchronous_commit=off makes commits cheap without risking corruption (a crash can
		// lose the last few milliseconds of commits, acceptable for development).
		opts := fmt.Sprintf("-c listen_addresses='' -k %s -p %d -c max_connections=400 -c synchronous_commit=off", c.socket, port)
		if err := c.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", c.data, "-l", c.logFile, "-o", opts); err != nil {
			return fmt.Errorf("start cluster (log in %s): %w", c.logFile, err)
		}
	}
	return c.createDatabase(ctx, database)
}

// prepareDirs hands the cluster's folders to the postgres user and lets it reach them: a
// checkout under /root or a CI folder is not traversable by other users by default.
func (c *cluster) prepareDirs() error {
	for _, d := range []string{c.base, c.socket} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	if c.owner == nil {
		return nil
	}
	uid, _ := strconv.Atoi(c.owner.Uid)
	gid, _ := strconv.Atoi(c.owner.Gid)
	// Only what we create is handed over: the data folder belongs to postgres from initdb
	// on, and walking it while other commands create and drop databases is slow and racy.
	for _, p := range []string{c.base, c.socket, c.logFile} {
		if err := os.Chown(p, uid, gid); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for d := filepath.Dir(c.base); ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("let postgres reach %s: %w", d, err)
			}
		}
		if filepath.Dir(d) == d {
			return nil
		}
	}
}

func (c *cluster) run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin, name), args...)
	cmd.Dir = c.base
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if c.owner != nil {
		uid, _ := strconv.Atoi(c.owner.Uid)
		gid, _ := strconv.Atoi(c.owner.Gid)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		cmd.Env = append(cmd.Env, "HOME="+c.owner.HomeDir)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (c *cluster) createDatabase(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.url("postgres"))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// lockFile serialises cluster start-up between commands started at the same moment.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
