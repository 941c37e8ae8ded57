package smtptest

// Fault is a way the server fails a mail, for tests of what the sending side does then.
type Fault int

const (
	// NoFault: the server behaves.
	NoFault Fault = iota
	// DropAtQuit accepts the mail (250 after the final dot, recorded in Messages) and then
	// drops the connection: the client's QUIT (or RSET, NOOP) is never answered. The mail
	// is delivered; a client that sends it again delivers it twice.
	DropAtQuit
	// DropBeforeReply reads the whole mail and drops the connection without answering the
	// final dot: the mail is not accepted (not in Messages), and the client must try again.
	DropBeforeReply
	// Stall reads the whole mail and never answers, until the server stops: the client's
	// own time-outs must end the session.
	Stall
)

// Inject makes the next n mails meet fault (n < 0: every mail until Inject(NoFault, 0)).
func (s *Server) Inject(fault Fault, n int) {
	s.mu.Lock()
	s.fault, s.faults = fault, n
	s.mu.Unlock()
}

// takeFault returns the fault the mail now arriving meets.
func (s *Server) takeFault() Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults == 0 {
		return NoFault
	}
	if s.faults > 0 {
		s.faults--
	}
	return s.fault
}

// Received returns every message whose data arrived so far, accepted or not (a fault may
// have dropped it), in order: what each attempt sent.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}
