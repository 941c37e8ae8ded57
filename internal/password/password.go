// Package password hashes the passwords people choose with argon2id, at or above OWASP's
// minimum (m=19 MiB, t=2, p=1), in the PHC string format so parameters can rise later.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// Default is OWASP's minimum recommendation for argon2id.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// slots bounds how many argon2id computations run at once to the number of cores. Each one
// holds Memory (19 MiB) for its duration: on a deadline day a thousand simultaneous sign-ins
// would otherwise ask for 19 GB at once, and more computations than cores only thrash the
// caches. Sign-ins beyond that wait their turn, which costs no more than running at once.
var slots = make(chan struct{}, runtime.GOMAXPROCS(0))

func idKey(plain string, salt []byte, p Params, keyLen uint32) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey([]byte(plain), salt, p.Time, p.Memory, p.Threads, keyLen)
}

// ErrMalformed is returned for a stored hash this package cannot read.
var ErrMalformed = errors.New("password: malformed hash")

// Hash returns the PHC string of plain under Default.
func Hash(plain string) (string, error) { return HashWith(Default, plain) }

// HashWith hashes under p.
func HashWith(p Params, plain string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := idKey(plain, salt, p, p.KeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether plain matches the PHC string hash, in constant time.
func Verify(hash, plain string) (bool, error) {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, err
	}
	got := idKey(plain, salt, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyHash is compared against when an account does not exist, so an unknown address
// costs the same time as a wrong password.
var dummyHash, _ = Hash("dummy-password-for-timing-0")

// VerifyDummy spends the time of one Verify and always fails.
func VerifyDummy(plain string) {
	_, _ = Verify(dummyHash, plain)
}

func decode(hash string) (Params, []byte, []byte, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, nil, nil, ErrMalformed
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return Params{}, nil, nil, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	key, err := enc.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return Params{}, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}
