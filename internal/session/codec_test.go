package session_test

import (
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"portal/internal/session"
)

// Every type the portal keeps in a session comes back as it went in, with its deadline;
// a session gob wrote before the codec is read too; damaged data is an error, never a panic.
func TestCodecRoundTrip(t *testing.T) {
	deadline := time.Date(2026, 12, 1, 9, 30, 0, 123456789, time.UTC)
	values := map[string]any{"account_id": int64(1) << 40, "version": 7, "neg": -3, "draft": `{"line":"IP-VPN接続方式"}`,
		"": "", "done": true, "shown": false, "min": int64(-1) << 63}
	b, err := session.Codec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"codec": b, "gob": mustGob(t, deadline, values)} {
		got, back, err := session.Codec{}.Decode(data)
		if err != nil || !got.Equal(deadline) || len(back) != len(values) {
			t.Fatalf("%s: %v %v %v", name, err, got, back)
		}
		for k, v := range values {
			if back[k] != v {
				t.Errorf("%s: %q = %#v, want %#v", name, k, back[k], v)
			}
		}
	}
	if _, err := (session.Codec{}).Encode(deadline, map[string]any{"at": time.Now()}); err == nil || !strings.Contains(err.Error(), `"at"`) {
		t.Errorf("a time.Time value: %v", err)
	}
	for _, bad := range [][]byte{nil, {'P'}, {'P', 1}, {'P', 1, 0, 5, 'a'}, {'P', 1, 0, 1, 'k', 'z'}, {'P', 1, 0, 1, 'k', 's', 200}} {
		if _, _, err := (session.Codec{}).Decode(bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func mustGob(t *testing.T, deadline time.Time, values map[string]any) []byte {
	t.Helper()
	b, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
