package demo_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/config"
	"portal/internal/demo"
	"portal/internal/testdb"
)

// TestDemoFacilityLoginsSignIn signs in with the demo clinic and the demo letter exactly as
// seed-demo prints them, under the key the server would read from the same environment.
func TestDemoFacilityLoginsSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	res, err := demo.Seed(ctx, pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	var clinic, letter bool
	for _, l := range res.Logins {
		if l.Path != "/login" {
			continue
		}
		p, err := account.SignIn(ctx, pool, cfg.SessionSecret, l.Login, l.Password)
		if err != nil {
			t.Errorf("%s (%s): %v", l.Role, l.Login, err)
			continue
		}
		switch {
		case p.Provisional() && strings.HasSuffix(l.Login, "@13"):
			letter = true
		case !p.Provisional() && l.Login == "clinic@example.jp":
			clinic = true
			if msgs, err := account.MessagesFor(ctx, pool, p.FacilityID, 10); err != nil || len(msgs) == 0 {
				t.Errorf("the demo clinic has no document on マイページ: %v", err)
			}
		}
	}
	if !clinic || !letter {
		t.Errorf("demo logins: clinic %v, letter %v", clinic, letter)
	}
}
