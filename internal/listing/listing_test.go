package listing

import (
	"testing"
	"time"
)

func TestCountString(t *testing.T) {
	for n, want := range map[int]string{0: "0件", 999: "999件", 1000: "1,000件", 1001: "1,000件以上", 1234: "1,000件以上"} {
		if got := Count(n).String(); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestKeyRoundTrip(t *testing.T) {
	k := Key{At: time.Date(2026, 12, 1, 8, 30, 0, 123000, time.UTC), ID: 42}
	got, ok := ParseKey(k.String())
	if !ok || !got.At.Equal(k.At) || got.ID != 42 {
		t.Fatalf("round trip: %+v %v", got, ok)
	}
	for _, bad := range []string{"", "!!", "bm90YWtleQ", "MTIzLi0x", string(make([]byte, 100))} {
		if _, ok := ParseKey(bad); ok {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
}

// TestFinishWalksBothWays pages through 7 rows 3 at a time in every direction against an
// in-memory list ordered as the SQL of Clause would return it.
func TestFinishWalksBothWays(t *testing.T) {
	base := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var all []Key // newest first
	for i := 7; i >= 1; i-- {
		all = append(all, Key{At: base.Add(time.Duration(i) * time.Minute), ID: int64(i)})
	}
	less := func(a, b Key) bool { return a.At.Before(b.At) || (a.At.Equal(b.At) && a.ID < b.ID) }
	fetch := func(r Request) []Key {
		var out []Key
		switch {
		case r.After != nil:
			for _, k := range all {
				if less(k, *r.After) && len(out) < r.Limit+1 {
					out = append(out, k)
				}
			}
		case r.Before != nil:
			for i := len(all) - 1; i >= 0; i-- {
				if less(*r.Before, all[i]) && len(out) < r.Limit+1 {
					out = append(out, all[i])
				}
			}
		case r.Last:
			for i := len(all) - 1; i >= 0 && len(out) < r.Limit+1; i-- {
				out = append(out, all[i])
			}
		default:
			out = append(out, all[:min(len(all), r.Limit+1)]...)
		}
		return out
	}
	id := func(k Key) Key { return k }
	ids := func(p Page[Key]) (s []int64) {
		for _, k := range p.Rows {
			s = append(s, k.ID)
		}
		return
	}
	first := Finish(fetch(Request{Limit: 3}), Request{Limit: 3}, id)
	if got := ids(first); len(got) != 3 || got[0] != 7 || first.Newer != nil || first.Older == nil {
		t.Fatalf("first page %v newer %v older %v", got, first.Newer, first.Older)
	}
	r := Request{Limit: 3, After: first.Older}
	second := Finish(fetch(r), r, id)
	if got := ids(second); len(got) != 3 || got[0] != 4 || second.Newer == nil || second.Older == nil {
		t.Fatalf("second page %v", got)
	}
	r = Request{Limit: 3, After: second.Older}
	third := Finish(fetch(r), r, id)
	if got := ids(third); len(got) != 1 || got[0] != 1 || third.Older != nil || third.Newer == nil {
		t.Fatalf("third page %v older %v", got, third.Older)
	}
	r = Request{Limit: 3, Before: third.Newer}
	back := Finish(fetch(r), r, id)
	if got := ids(back); len(got) != 3 || got[0] != 4 || back.Newer == nil {
		t.Fatalf("back page %v", got)
	}
	r = Request{Limit: 3, Last: true}
	last := Finish(fetch(r), r, id)
	if got := ids(last); len(got) != 3 || got[0] != 3 || got[2] != 1 || last.Older != nil || last.Newer == nil {
		t.Fatalf("last page %v", got)
	}
}
