package web_test

import (
	"strings"
	"testing"

	"portal/internal/webtest"
)

// Regression: signing in as another facility on the same browser (a login page left open
// in another tab) renewed the session token but kept the first facility's session data,
// so the second facility's confirm page showed the first one's 利用申請 as typed, ready
// to be confirmed as its own.
func TestSignInAsAnotherFacilityDropsTheFirstOnesInput(t *testing.T) {
	t.Parallel()
	env := webtest.New(t)
	_, _, c := crFacility(t, env, "診療所", 1, "5300001", false)
	_, b, _ := crFacility(t, env, "診療所", 1, "5300002", false)
	c.Get("/qualification")
	if res := c.PostForm("/qualification", qaForm()); res.Status != 303 {
		t.Fatalf("first facility's input: %d\n%s", res.Status, res.Body)
	}
	if res := c.Get("/qualification/confirm"); res.Status != 200 || !strings.Contains(res.Body, "CAF1234567890") {
		t.Fatalf("first facility's confirm page: %d", res.Status)
	}
	if res := c.PostForm("/login", map[string][]string{"email": {b.Email}, "password": {"Passw0rd123"}}); res.Status != 303 {
		t.Fatalf("second facility's sign-in: %d", res.Status)
	}
	if res := c.Get("/qualification/confirm"); strings.Contains(res.Body, "CAF1234567890") {
		t.Errorf("the second facility sees the first one's input: %d", res.Status)
	}
}
