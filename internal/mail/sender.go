package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"portal/internal/config"
	"portal/internal/database"
)

// SenderName is the display name of every mail's From.
const SenderName = "医療機関等向けポータルサイト"

// Outgoing is one mail the worker hands to a Sender.
type Outgoing struct {
	// ID is the mail_outbox row.
	ID int64
	// MessageID is the left part of the Message-ID header (before "@").
	MessageID string
	To        string
	Subject   string
	Body      string
}

// Sender delivers one mail; an error means "not delivered, try again later".
type Sender interface {
	Send(ctx context.Context, m Outgoing) error
}

// NewSender returns the SMTP sender when cfg.SMTP is configured, and otherwise the
// development catcher that stores mails for /dev/mailbox. The catcher runs only on a
// development machine (config.DevMailbox): against a shared database it would take the
// mails of every instance that has SMTP.
func NewSender(cfg *config.Config, db database.DB) (Sender, error) {
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
	smtp    config.SMTP
	from    string // bare address
	domain  string // for Message-ID
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

// Send implements Sender.
func (s *SMTPSender) Send(ctx context.Context, m Outgoing) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	opts := []gomail.Option{gomail.WithPort(s.smtp.Port), gomail.WithTimeout(s.Timeout)}
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
		return fmt.Errorf("mail: smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: smtp: %w", err)
	}
	return nil
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

// Catcher is the development "SMTP server": it stores each mail in mail_catcher, shown at
// /dev/mailbox, so a newcomer sees every mail without any mail server.
type Catcher struct {
	db     database.DB
	from   string
	domain string
}

// NewCatcher returns the catcher writing to db.
func NewCatcher(db database.DB, mailFrom string) (*Catcher, error) {
	from, domain, err := parseFrom(mailFrom)
	if err != nil {
		return nil, err
	}
	return &Catcher{db: db, from: SenderName + " <" + from + ">", domain: domain}, nil
}

// Send implements Sender.
func (c *Catcher) Send(ctx context.Context, m Outgoing) error {
	_, err := c.db.Exec(ctx, `INSERT INTO mail_catcher (outbox_id, message_id, from_addr, to_addr, subject, body)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.ID, "<"+m.MessageID+"@"+c.domain+">", c.from, m.To, m.Subject, m.Body)
	if err != nil {
		return fmt.Errorf("mail: catcher: %w", err)
	}
	return nil
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
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
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
