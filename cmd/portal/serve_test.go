package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"portal/internal/testdb"
)

// SIGTERM (here: the run context ending) lets a request already being read finish with a
// whole response, then serve returns nil and the port is closed.
func TestServeDrainsInFlightRequestsOnShutdown(t *testing.T) {
	_, dbURL := testdb.NewWithURL(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("PORT", fmt.Sprint(port))
	t.Setenv("LOG_LEVEL", "error")
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A request whose body is still arriving when the signal comes.
	conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "email=a%40example.jp&password=x"
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:5])
	time.Sleep(200 * time.Millisecond)
	stop()
	time.Sleep(200 * time.Millisecond)
	if _, err := fmt.Fprint(conn, body[5:]); err != nil {
		t.Fatalf("connection dropped during shutdown: %v", err)
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
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not return after shutdown")
	}
	if _, err := http.Get(base + "/healthz"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("still serving after shutdown: %v", err)
	}
}
