package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	gomail "github.com/wneessen/go-mail"

	"portal/internal/config"
)

// SenderName is the display name of every mail's From.
const SenderName = "医療機関等向けポータルサイト"

// Outgoing is one mail the worker hands to a Sender.
type Outgoing struct {
	// ID is the mail_outbox row.
	ID int64
	// MessageID is the left part of the Message-ID header (before "@"), the same on every
	// attempt.
	MessageID string
	To        string
	Subject   string
	Body      string
	// LeaseToken names the worker's claim on the row; a Sender that writes to the outbox
	// itself (the Catcher) checks it, so a claim that expired meanwhile changes nothing.
	LeaseToken string
}

// Delivery is what a Sender reports about one mail.
type Delivery struct {
	// Accepted is true once the server has taken the mail: it answered 250 to the final
	// dot of DATA. It can be true together with an error, when the session failed after
	// that (QUIT unanswered, connection dropped): the mail is delivered all the same and
	// must not be sent again.
	Accepted bool
	// Reply is the server's answer to the final dot when Accepted ("250 2.0.0 Ok: queued").
	Reply string
}

// Sender delivers one mail. A nil error means Accepted; an error without Accepted means
// "not delivered, try again later". Send must return by ctx's deadline: the worker's claim
// on the mail runs out soon after it, and another worker would send the mail again.
type Sender interface {
	Send(ctx context.Context, m Outgoing) (Delivery, error)
}

// NewSender returns the SMTP sender when cfg.SMTP is configured, and otherwise the
// development catcher that stores mails for /dev/mailbox. The catcher runs only on a
// development machine (config.DevMailbox): against a shared database it would take the
// mails of every instance that has SMTP.
func NewSender(cfg *config.Config, db *pgxpool.Pool) (Sender, error) {
	if cfg.SMTP.Configured() {
		return NewSMTPSender(cfg.SMTP, cfg.MailFrom)
	}
	if err := cfg.CheckMail(); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return NewCatcher(db, cfg.MailFrom)
}

// SMTPSender delivers over SMTP with go-mail, one connection per mail.
type SMTPSender struct {
	smtp   config.SMTP
	from   string // bare address
	domain string // for Message-ID
	// Timeout bounds each step of the session (connect, greeting and EHLO/STARTTLS/AUTH,
	// the mail itself, QUIT); Send shortens it so that the whole session ends by the
	// deadline of its ctx.
	Timeout time.Duration
	// TLSConfig, when set, replaces the default (system roots, ServerName = host).
	TLSConfig *tls.Config
}

// NewSMTPSender checks the settings once, so a bad MAIL_FROM is a start-up error.
func NewSMTPSender(s config.SMTP, mailFrom string) (*SMTPSender, error) {
	from, domain, err := parseFrom(mailFrom)
	if err != nil {
		return nil, err
	}
	switch s.TLS {
	case "none", "starttls", "tls":
	default:
		return nil, fmt.Errorf("mail: SMTP TLS must be none, starttls or tls, not %q", s.TLS)
	}
	return &SMTPSender{smtp: s, from: from, domain: domain, Timeout: 30 * time.Second}, nil
}

// parseFrom takes MAIL_FROM ("Name <addr>" or "addr") and returns the address and its domain.
func parseFrom(mailFrom string) (addr, domain string, err error) {
	a, err := netmail.ParseAddress(mailFrom)
	if err != nil {
		return "", "", fmt.Errorf("mail: MAIL_FROM %q is not an address: %w", mailFrom, err)
	}
	_, domain, _ = strings.Cut(a.Address, "@")
	if domain == "" {
		domain = "localhost"
	}
	return a.Address, domain, nil
}

// sessionSteps is how many times go-mail (v0.8) arms its per-step timeout in one session
// as Send drives it: the dial, the greeting, EHLO+STARTTLS+AUTH, and the mail with QUIT
// (NOOP and RSET are switched off). A step timeout of (time left)/sessionSteps therefore
// ends the session by ctx's deadline, whatever the server does.
const sessionSteps = 4

// Send implements Sender. go-mail marks a message delivered (Msg.IsDelivered) as soon as
// the server answers 250 to the final dot, before QUIT; that mark, not the error, tells
// whether the mail went out, so a QUIT that fails does not make the worker send it again.
func (s *SMTPSender) Send(ctx context.Context, m Outgoing) (Delivery, error) {
	msg, err := s.message(m)
	if err != nil {
		return Delivery{}, err
	}
	step := s.Timeout
	if deadline, ok := ctx.Deadline(); ok {
		step = min(step, time.Until(deadline)/sessionSteps)
	}
	if step <= 0 {
		return Delivery{}, fmt.Errorf("mail: smtp: no time left: %w", context.DeadlineExceeded)
	}
	// One mail per connection: the NOOP before it and the RSET after it would be round
	// trips (and chances to fail after delivery) for nothing.
	opts := []gomail.Option{gomail.WithPort(s.smtp.Port), gomail.WithTimeout(step), gomail.WithoutNoop(), gomail.WithoutRset()}
	switch s.smtp.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	}
	if s.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.TLSConfig))
	}
	if s.smtp.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.smtp.Username), gomail.WithPassword(s.smtp.Password))
	}
	c, err := gomail.NewClient(s.smtp.Host, opts...)
	if err != nil {
		return Delivery{}, fmt.Errorf("mail: smtp client: %w", err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	d := Delivery{Accepted: msg.IsDelivered()}
	if d.Accepted {
		d.Reply = strings.TrimSpace("250 " + msg.ServerResponse())
	}
	if err != nil {
		return d, fmt.Errorf("mail: smtp: %w", err)
	}
	d.Accepted = true
	return d, nil
}

// message builds the MIME message: UTF-8 plain text, base64 body, encoded Japanese subject.
func (s *SMTPSender) message(m Outgoing) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingB64))
	if err := msg.FromFormat(SenderName, s.from); err != nil {
		return nil, fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("mail: recipient of mail %d: %w", m.ID, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID + "@" + s.domain)
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

// failureKind names what went wrong in words that carry no address or content, for the
// log; the full error goes to mail_outbox.last_error for operators.
func failureKind(err error) string {
	var sendErr *gomail.SendError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &sendErr):
		kind := "permanent"
		if sendErr.IsTemp() {
			kind = "temporary"
		}
		return fmt.Sprintf("smtp %s error %d while %s", kind, sendErr.ErrorCode(), sendErr.Reason)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return "connection closed by the server"
	case errors.As(err, &certErr), errors.As(err, &recordErr):
		return "tls"
	case errors.As(err, &opErr):
		return "connect"
	case strings.Contains(strings.ToLower(err.Error()), "auth"):
		return "auth"
	case strings.Contains(strings.ToLower(err.Error()), "tls"):
		return "tls"
	}
	return "other"
}
