package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("Passw0rdXyz")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry OWASP's minimum parameters", h)
	}
	for _, tc := range []struct {
		plain string
		want  bool
	}{{"Passw0rdXyz", true}, {"passw0rdxyz", false}, {"", false}} {
		ok, err := Verify(h, tc.plain)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.plain, ok, err, tc.want)
		}
	}
	if _, err := Verify("$argon2id$garbage", "x"); err != ErrMalformed {
		t.Errorf("malformed hash: %v", err)
	}
}
