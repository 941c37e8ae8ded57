package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"portal/internal/config"
	"portal/internal/smtptest"
)

// TestSMTPModes sends through each TLS mode of config.SMTP, with authentication, to a real
// SMTP exchange.
func TestSMTPModes(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.StartWith(t, smtptest.Options{TLS: mode, Username: "portal", Password: "s3cret-パス"})
			s, err := NewSMTPSender(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: mode, Username: "portal", Password: "s3cret-パス"},
				"no-reply@portal.example.jp")
			if err != nil {
				t.Fatal(err)
			}
			s.TLSConfig = srv.ClientTLSConfig()
			s.Timeout = 10 * time.Second
			m := Outgoing{ID: 1, MessageID: "0123abcd", To: "tls@example.jp", Subject: "件名：日本語の題名", Body: "本文です。\n二行目\n"}
			if d, err := s.Send(context.Background(), m); err != nil || !d.Accepted || !strings.HasPrefix(d.Reply, "250 ") {
				t.Fatalf("send: %+v %v", d, err)
			}
			got := srv.WaitFor(t, func(smtptest.Message) bool { return true }, wait)
			if got.Subject != m.Subject || got.Body != m.Body || got.To[0] != m.To {
				t.Errorf("got %q %q %v", got.Subject, got.Body, got.To)
			}
			if !strings.Contains(got.Header.Get("Subject"), "=?UTF-8?") {
				t.Errorf("subject not MIME-encoded: %q", got.Header.Get("Subject"))
			}

			bad, _ := NewSMTPSender(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: mode, Username: "portal", Password: "wrong"},
				"no-reply@portal.example.jp")
			bad.TLSConfig = srv.ClientTLSConfig()
			if _, err := bad.Send(context.Background(), m); err == nil {
				t.Error("wrong password accepted")
			} else if k := failureKind(err); k != "auth" {
				t.Errorf("wrong password logged as %q (%v)", k, err)
			}
			// Without trusting the server's certificate the mail must not go out.
			untrusting, _ := NewSMTPSender(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: mode, Username: "portal", Password: "s3cret-パス"},
				"no-reply@portal.example.jp")
			if _, err := untrusting.Send(context.Background(), m); err == nil {
				t.Error("sent to an untrusted certificate")
			} else if k := failureKind(err); k != "tls" {
				t.Errorf("untrusted certificate logged as %q (%v)", k, err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("%d messages", n)
			}
		})
	}
}

// TestSTARTTLSIsMandatory refuses to send in the clear when STARTTLS was asked for.
func TestSTARTTLSIsMandatory(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t) // offers no STARTTLS
	s, err := NewSMTPSender(config.SMTP{Host: srv.Host, Port: srv.Port, TLS: "starttls"}, "no-reply@portal.example.jp")
	if err != nil {
		t.Fatal(err)
	}
	if d, err := s.Send(context.Background(), Outgoing{ID: 1, MessageID: "x", To: "a@example.jp", Subject: "s", Body: "b"}); err == nil || d.Accepted {
		t.Error("sent without TLS")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages in the clear", n)
	}
}

func TestSenderSettings(t *testing.T) {
	t.Parallel()
	if _, err := NewSMTPSender(config.SMTP{Host: "h", Port: 25, TLS: "ssl"}, "a@b.jp"); err == nil {
		t.Error("unknown TLS mode accepted")
	}
	if _, err := NewSMTPSender(config.SMTP{Host: "h", Port: 25, TLS: "none"}, "not an address"); err == nil {
		t.Error("bad MAIL_FROM accepted")
	}
	s, err := NewSMTPSender(config.SMTP{Host: "h", Port: 25, TLS: "none"}, "医療機関等向けポータルサイト <from@portal.example.jp>")
	if err != nil || s.from != "from@portal.example.jp" || s.domain != "portal.example.jp" {
		t.Errorf("%+v %v", s, err)
	}
}
