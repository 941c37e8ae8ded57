package site

import "testing"

// numeq matches a select's option to the value typed, for every kind of number the forms
// offer, and never matches across values.
func TestNumeq(t *testing.T) {
	type code int
	numeq := funcs["numeq"].(func(any, string) bool)
	for _, tc := range []struct {
		n    any
		s    string
		want bool
	}{
		{13, "13", true}, {13, "013", false}, {13, "", false}, {int64(4), "4", true}, {int64(4), "5", false},
		{code(7), "7", true}, {code(7), "8", false}, {-1, "-1", true},
	} {
		if got := numeq(tc.n, tc.s); got != tc.want {
			t.Errorf("numeq(%v, %q) = %v", tc.n, tc.s, got)
		}
	}
}
