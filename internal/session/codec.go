package session

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/v2"
)

// Codec is the encoding of a session's data: the values the portal keeps there (int64,
// int, string, bool) in a small binary form. scs's default, gob, compiles a decoder for its
// types on every load, since each session is its own gob stream: that was 12 % of a
// signed-in page's CPU. Data written by gob before is still read: gob's always begins
// 0x25 0x7f (the definition of scs's session type), this form 'P', 1.
//
// The form: the byte 'P', the version 1, the deadline (Unix nanoseconds, varint), then per
// value its key (length-prefixed), a type byte and the value (varint, or length-prefixed
// bytes).
type Codec struct{}

const (
	codecMagic   = 'P'
	codecVersion = 1

	tagInt64  = 'q'
	tagInt    = 'i'
	tagString = 's'
	tagTrue   = 't'
	tagFalse  = 'f'
)

// errCodec is a session that is not this codec's nor gob's: scs then starts a new session.
var errCodec = errors.New("session: malformed session data")

// Encode writes deadline and values; a value of a type the portal never stores is an error
// (caught by the tests of whatever stored it) rather than silently dropped.
func (Codec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	b := make([]byte, 0, 64+16*len(values))
	b = append(b, codecMagic, codecVersion)
	b = binary.AppendVarint(b, deadline.UnixNano())
	for k, v := range values {
		b = appendBytes(b, k)
		switch x := v.(type) {
		case int64:
			b = binary.AppendVarint(append(b, tagInt64), x)
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(x))
		case string:
			b = appendBytes(append(b, tagString), x)
		case bool:
			if x {
				b = append(b, tagTrue)
			} else {
				b = append(b, tagFalse)
			}
		default:
			return nil, fmt.Errorf("session: cannot store %q of type %T", k, v)
		}
	}
	return b, nil
}

// Decode reads what Encode wrote, or a gob-encoded session of before.
func (Codec) Decode(b []byte) (time.Time, map[string]any, error) {
	if len(b) < 2 || b[0] != codecMagic || b[1] != codecVersion {
		return scs.GobCodec{}.Decode(b)
	}
	r := reader{b: b[2:]}
	deadline := time.Unix(0, r.varint())
	values := make(map[string]any)
	for r.err == nil && len(r.b) > 0 {
		k := r.bytes()
		switch tag := r.byte(); tag {
		case tagInt64:
			values[k] = r.varint()
		case tagInt:
			values[k] = int(r.varint())
		case tagString:
			values[k] = r.bytes()
		case tagTrue:
			values[k] = true
		case tagFalse:
			values[k] = false
		default:
			r.err = errCodec
		}
	}
	if r.err != nil {
		return time.Time{}, nil, r.err
	}
	return deadline, values, nil
}

func appendBytes(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// reader takes the values off a session's bytes; the first fault sticks in err.
type reader struct {
	b   []byte
	err error
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) bytes() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errCodec
	}
	r.b = nil
}
