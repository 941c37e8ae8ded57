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
