package smtptest

import (
	"net/smtp"
	"strings"
	"testing"
	"time"
)

func TestRecordsDecodesAndRestarts(t *testing.T) {
	t.Parallel()
	s := Start(t)
	raw := "From: a@example.jp\r\nTo: b@example.jp\r\nSubject: =?UTF-8?q?=E4=BB=B6=E5=90=8D?=\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		"=E6=9C=AC=E6=96=87\r\n"
	if err := smtp.SendMail(s.Addr, nil, "a@example.jp", []string{"b@example.jp"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	m := s.WaitFor(t, func(m Message) bool { return m.Subject == "件名" }, 10*time.Second)
	if m.Body != "本文\n" || m.From != "a@example.jp" || len(m.To) != 1 || m.To[0] != "b@example.jp" {
		t.Errorf("%+v", m)
	}

	s.Stop()
	if err := smtp.SendMail(s.Addr, nil, "a@example.jp", []string{"b@example.jp"}, []byte(raw)); err == nil {
		t.Fatal("sent to a stopped server")
	}
	s.Restart(t)
	s.RejectAll(true)
	if err := smtp.SendMail(s.Addr, nil, "a@example.jp", []string{"b@example.jp"}, []byte(raw)); err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("rejecting server: %v", err)
	}
	s.RejectAll(false)
	if err := smtp.SendMail(s.Addr, nil, "a@example.jp", []string{"b@example.jp"}, []byte(raw)); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if n := len(s.Messages()); n != 2 {
		t.Errorf("%d messages", n)
	}
}

// TestFaults drives each fault with net/smtp, as a client that knows nothing of them would.
func TestFaults(t *testing.T) {
	t.Parallel()
	s := Start(t)
	raw := func(subject string) []byte {
		return []byte("From: a@example.jp\r\nTo: b@example.jp\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
	}
	send := func(subject string) error {
		return smtp.SendMail(s.Addr, nil, "a@example.jp", []string{"b@example.jp"}, raw(subject))
	}

	// Accepted, then the connection is gone at QUIT: the client sees an error, the server
	// has the mail.
	s.Inject(DropAtQuit, 1)
	if err := send("quit"); err == nil {
		t.Error("QUIT answered after DropAtQuit")
	}
	if m := s.Messages(); len(m) != 1 || m[0].Subject != "quit" {
		t.Fatalf("accepted %v", m)
	}

	// Read but never answered: not accepted, but received.
	s.Inject(DropBeforeReply, 1)
	if err := send("drop"); err == nil {
		t.Error("final dot answered after DropBeforeReply")
	}
	if len(s.Messages()) != 1 || len(s.Received()) != 2 || s.Received()[1].Subject != "drop" {
		t.Fatalf("accepted %d received %d", len(s.Messages()), len(s.Received()))
	}

	// The fault was for one mail only.
	if err := send("fine"); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	if len(s.Messages()) != 2 || len(s.Received()) != 3 {
		t.Fatalf("accepted %d received %d", len(s.Messages()), len(s.Received()))
	}

	// A stalled session ends when the server stops.
	s.Inject(Stall, -1)
	done := make(chan error, 1)
	go func() { done <- send("stall") }()
	for len(s.Received()) < 4 {
		time.Sleep(5 * time.Millisecond)
	}
	s.Stop()
	if err := <-done; err == nil {
		t.Error("stalled session answered")
	}
	if len(s.Messages()) != 2 {
		t.Errorf("stalled mail accepted")
	}
}
