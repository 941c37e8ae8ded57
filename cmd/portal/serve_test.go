package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"portal/internal/smtptest"
	"portal/internal/testdb"
)

// runMainEnv makes the test binary run the portal's main instead of the tests, so a test
// can start the real program and send it real signals.
const runMainEnv = "PORTAL_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main() // exits 1 on error
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// lockedBuffer is the portal's stderr, written by the process while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// On SIGTERM the portal shuts down in the order a load balancer needs: /readyz answers 503
// at once while the listener still accepts (for SHUTDOWN_DELAY), then the listener closes,
// then a request already in flight (its body still arriving) gets its whole answer, and
// the process exits 0.
func TestSIGTERMDrainsForTheLoadBalancer(t *testing.T) {
	_, dbURL := testdb.NewWithURL(t)
	smtpSrv := smtptest.Start(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	base := "http://" + addr

	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), runMainEnv+"=1", "DATABASE_URL="+dbURL, fmt.Sprint("PORT=", port), "LOG_LEVEL=info",
		"SMTP_HOST="+smtpSrv.Host, fmt.Sprint("SMTP_PORT=", smtpSrv.Port), "SMTP_TLS=none", "SHUTDOWN_DELAY=5s")
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() {
			t.Logf("portal's log:\n%s", stderr.String())
		}
	})
	ready := func() (int, error) {
		res, err := (&http.Client{Timeout: 5 * time.Second}).Get(base + "/readyz")
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}
	waitFor(t, 60*time.Second, "the portal to be ready", func() bool { code, _ := ready(); return code == 200 })

	// A request whose body is still arriving when the signal comes.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=a%40example.jp&password=x"
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:5])
	time.Sleep(200 * time.Millisecond) // let the server read the head

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 4*time.Second, "/readyz to answer 503 while the listener is open", func() bool {
		code, err := ready()
		if err != nil {
			t.Fatalf("listener closed before /readyz said 503: %v", err)
		}
		return code == http.StatusServiceUnavailable
	})
	waitFor(t, 30*time.Second, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return false
		}
		return true
	})
	select {
	case err := <-exited:
		t.Fatalf("exited (%v) before the request in flight was answered", err)
	default:
	}

	if _, err := fmt.Fprint(conn, body[5:]); err != nil {
		t.Fatalf("in-flight connection dropped during shutdown: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to the in-flight request: %v", err)
	}
	res.Body.Close()
	// No CSRF cookie was sent, so the answer is the 403 page: a whole response all the same.
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("in-flight request: %d", res.StatusCode)
	}
	select {
	case err := <-exited:
		if err != nil || cmd.ProcessState.ExitCode() != 0 {
			t.Fatalf("exit: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the portal did not exit after shutdown")
	}
}

// waitFor polls cond every 50ms until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
