// Package smtptest runs a real SMTP server in the test process (emersion/go-smtp) on a
// loopback port and records every message it accepts, decoded, so tests check mail the way
// a recipient would read it: srv := smtptest.Start(t); … ; m := srv.WaitFor(t, match, 10*time.Second).
// Stop and Restart simulate an outage on the same port; RejectAll a server that refuses mail;
// Inject a server that fails around the end of DATA (accepting then dropping the
// connection, dropping it before answering, or never answering).
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one accepted mail.
type Message struct {
	// From and To are the envelope sender and recipients.
	From string
	To   []string
	// Header is the parsed header; Subject is its decoded Subject.
	Header  mail.Header
	Subject string
	// Body is the decoded text body.
	Body string
	// Raw is the message as received.
	Raw []byte
	// Err is set when the message could not be decoded (tests should fail on it).
	Err error
}

// Options select TLS and authentication; the zero value is plain SMTP without AUTH.
type Options struct {
	// TLS is "none" (default), "starttls" (offered, and required before AUTH) or "tls"
	// (implicit TLS from the first byte, as on port 465). The certificate is self-signed:
	// clients trust it through Server.ClientTLSConfig.
	TLS string
	// Username and Password, when set, must be given with AUTH PLAIN before MAIL FROM.
	Username string
	Password string
}

// Server is one running test SMTP server.
type Server struct {
	// Addr is host:port; Host and Port are its parts.
	Addr string
	Host string
	Port int

	opts      Options
	tlsConfig *tls.Config
	certPool  *x509.CertPool

	mu       sync.Mutex
	messages []Message
	received []Message
	changed  chan struct{} // closed and replaced on every new message
	reject   bool
	fault    Fault
	faults   int           // how many more mails meet fault; < 0: all
	stopped  chan struct{} // closed by Stop, releasing stalled sessions
	srv      *smtp.Server
	l        net.Listener
}

// Start listens on 127.0.0.1 on a random port, plain SMTP without AUTH, and stops when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith is Start with TLS and/or authentication.
func StartWith(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts, changed: make(chan struct{}), stopped: make(chan struct{})}
	switch opts.TLS {
	case "", "none":
	case "starttls", "tls":
		cert, pool, err := selfSigned()
		if err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.certPool = pool
	default:
		t.Fatalf("smtptest: unknown TLS mode %q", opts.TLS)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	a := l.Addr().(*net.TCPAddr)
	s.Addr, s.Host, s.Port = a.String(), a.IP.String(), a.Port
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

// ClientTLSConfig trusts the server's self-signed certificate; nil without TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.certPool == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.certPool, ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	srv.Domain = "smtptest.localhost"
	switch s.opts.TLS {
	case "starttls":
		srv.TLSConfig = s.tlsConfig
	case "tls":
		l = tls.NewListener(l, s.tlsConfig)
	}
	srv.EnableSMTPUTF8 = true
	srv.MaxMessageBytes = 10 << 20
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.ErrorLog = discardLog{}
	s.mu.Lock()
	s.srv, s.l = srv, l
	s.mu.Unlock()
	go func() { _ = srv.Serve(l) }()
}

// Stop closes the server and its connections; the port refuses connections until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, l := s.srv, s.l
	s.srv, s.l = nil, nil
	if srv != nil {
		close(s.stopped)
		s.stopped = make(chan struct{})
	}
	s.mu.Unlock()
	if srv != nil {
		// Close the listener ourselves too: Serve may not have registered it yet.
		_ = l.Close()
		_ = srv.Close()
	}
}

// Restart listens again on the same port after Stop.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	var l net.Listener
	var err error
	for range 50 { // the port may linger for a moment after Close
		if l, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("smtptest: listen again on %s: %v", s.Addr, err)
	}
	s.serve(l)
}

// RejectAll makes the server answer every MAIL FROM with a temporary failure (451)
// while on is true: the server is up but refuses mail.
func (s *Server) RejectAll(on bool) {
	s.mu.Lock()
	s.reject = on
	s.mu.Unlock()
}

// Messages returns a copy of every message accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor returns the first message (in arrival order) for which match is true, waiting up
// to timeout for it to arrive; it fails the test on timeout or if a message did not decode.
func (s *Server) WaitFor(t testing.TB, match func(Message) bool, timeout time.Duration) Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		changed := s.changed
		msgs := append([]Message(nil), s.messages...)
		s.mu.Unlock()
		for _, m := range msgs {
			if m.Err != nil {
				t.Fatalf("smtptest: undecodable message: %v\n%s", m.Err, m.Raw)
			}
			if match(m) {
				return m
			}
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("smtptest: no matching mail within %v (%d received)", timeout, len(msgs))
			return Message{}
		}
	}
}

func (s *Server) record(m Message, accepted bool) {
	s.mu.Lock()
	s.received = append(s.received, m)
	if accepted {
		s.messages = append(s.messages, m)
	}
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	from   string
	to     []string
	authed bool
	// dropNext closes the connection once the answer to the final dot has gone out.
	dropNext bool
}

// AuthMechanisms offers PLAIN only when the server has a username.
func (x *session) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks AUTH PLAIN against Options.
func (x *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || x.s.opts.Username == "" {
		return nil, smtp.ErrAuthUnsupported
	}
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != x.s.opts.Username || password != x.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		x.authed = true
		return nil
	}), nil
}

// Reset runs after every DATA, once the server has written its answer to the final dot,
// which makes it the place to drop the connection for DropAtQuit.
func (x *session) Reset() {
	x.from, x.to = "", nil
	if x.dropNext {
		x.dropNext = false
		_ = x.conn.Conn().Close()
	}
}

func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.s.mu.Lock()
	reject := x.s.reject
	x.s.mu.Unlock()
	if reject {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "smtptest: rejecting mail for now"}
	}
	if x.s.opts.Username != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Decode(raw)
	m.From, m.To = x.from, append([]string(nil), x.to...)
	switch x.s.takeFault() {
	case DropAtQuit:
		x.s.record(m, true)
		x.dropNext = true
	case DropBeforeReply:
		x.s.record(m, false)
		_ = x.conn.Conn().Close()
		return errors.New("smtptest: dropped before the reply")
	case Stall:
		x.s.record(m, false)
		x.s.mu.Lock()
		stopped := x.s.stopped
		x.s.mu.Unlock()
		<-stopped
		return errors.New("smtptest: stopped")
	default:
		x.s.record(m, true)
	}
	return nil
}

// Decode parses a raw single-part text message, decoding the MIME-encoded subject and the
// base64 or quoted-printable body; problems are reported in Message.Err.
func Decode(raw []byte) Message {
	m := Message{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.Err = fmt.Errorf("parse: %w", err)
		return m
	}
	m.Header = msg.Header
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.Err = fmt.Errorf("subject: %w", err)
		return m
	}
	var body io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, msg.Body) // skips line breaks itself
	case "quoted-printable":
		body = quotedprintable.NewReader(msg.Body)
	case "", "7bit", "8bit", "binary":
	default:
		m.Err = errors.New("unknown Content-Transfer-Encoding " + msg.Header.Get("Content-Transfer-Encoding"))
		return m
	}
	b, err := io.ReadAll(body)
	if err != nil {
		m.Err = fmt.Errorf("body: %w", err)
		return m
	}
	m.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return m
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}

type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}
