package operator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"portal/internal/operator"
)

func TestCheckDraft(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		draft operator.Draft
		want  map[string]string
	}{
		{"valid", operator.Draft{Login: "yamada.t", Name: "山田 太郎", Role: operator.RoleOperator}, nil},
		{"two characters", operator.Draft{Login: "op", Name: "x", Role: operator.RoleSupervisor}, nil},
		{"empty", operator.Draft{}, map[string]string{"login": operator.MsgLoginRequired, "name": operator.MsgNameRequired, "role": operator.MsgRoleRequired}},
		{"upper case", operator.Draft{Login: "Yamada", Name: "x", Role: operator.RoleOperator}, map[string]string{"login": operator.MsgLoginFormat}},
		{"one character", operator.Draft{Login: "y", Name: "x", Role: operator.RoleOperator}, map[string]string{"login": operator.MsgLoginFormat}},
		{"33 characters", operator.Draft{Login: strings.Repeat("a", 33), Name: "x", Role: operator.RoleOperator}, map[string]string{"login": operator.MsgLoginFormat}},
		{"starts with a dot", operator.Draft{Login: ".yamada", Name: "x", Role: operator.RoleOperator}, map[string]string{"login": operator.MsgLoginFormat}},
		{"full-width", operator.Draft{Login: "ｙａｍａｄａ", Name: "x", Role: operator.RoleOperator}, map[string]string{"login": operator.MsgLoginFormat}},
		{"script", operator.Draft{Login: "<script>", Name: "x", Role: operator.RoleOperator}, map[string]string{"login": operator.MsgLoginFormat}},
		{"name of 51", operator.Draft{Login: "abc", Name: strings.Repeat("山", 51), Role: operator.RoleOperator}, map[string]string{"name": operator.MsgNameLong}},
		{"name of 50", operator.Draft{Login: "abc", Name: strings.Repeat("山", 50), Role: operator.RoleOperator}, nil},
		{"unknown role", operator.Draft{Login: "abc", Name: "x", Role: "admin"}, map[string]string{"role": operator.MsgRoleRequired}},
	} {
		got := operator.CheckDraft(c.draft)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.name, k, got[k], v)
			}
		}
	}
}

func TestTemporaryPassword(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		p, err := operator.TemporaryPassword()
		if err != nil || len(p) != 14 || seen[p] || !strings.ContainsAny(p, "23456789") || strings.Trim(p, "23456789") == "" ||
			strings.ContainsAny(p, "01lIoO") {
			t.Fatalf("temporary password %q %v", p, err)
		}
		seen[p] = true
	}
}

func TestSupervisorSteps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, _ := newService(t)
	sv := create(t, db, "boss", "Supervisor1234", operator.RoleSupervisor)
	op := create(t, db, "worker", "Operator1234", operator.RoleOperator)

	// Only an active supervisor may take these steps.
	if _, _, err := s.Create(ctx, op, operator.Draft{Login: "newbie", Name: "新人", Role: operator.RoleOperator}); !errors.Is(err, operator.ErrNotAllowed) {
		t.Fatalf("operator creating an account: %v", err)
	}
	if _, err := s.SetActive(ctx, op, sv.ID, false); !errors.Is(err, operator.ErrNotAllowed) {
		t.Fatalf("operator disabling a supervisor: %v", err)
	}
	// Nobody acts on their own account here.
	if _, err := s.SetActive(ctx, sv, sv.ID, false); !errors.Is(err, operator.ErrSelf) {
		t.Fatalf("own account: %v", err)
	}

	created, temp, err := s.Create(ctx, sv, operator.Draft{Login: "newbie", Name: "新人 一郎", Role: operator.RoleOperator})
	if err != nil || !created.MustChangePassword || created.Enrolled() || len(temp) != 14 {
		t.Fatalf("create: %+v %q %v", created, temp, err)
	}
	if _, _, err := s.Create(ctx, sv, operator.Draft{Login: "newbie", Name: "別人", Role: operator.RoleOperator}); !errors.Is(err, operator.ErrLoginTaken) {
		t.Fatalf("duplicate login: %v", err)
	}
	if got, err := s.SignIn(ctx, "newbie", temp, "192.0.2.9"); err != nil || !got.MustChangePassword {
		t.Fatalf("temporary password sign-in: %+v %v", got, err)
	}

	// Disable: the right password is then refused as disabled, the sessions end.
	disabled, err := s.SetActive(ctx, sv, created.ID, false)
	if err != nil || disabled.Active() || disabled.SessionVersion != created.SessionVersion+1 {
		t.Fatalf("disable: %+v %v", disabled, err)
	}
	if _, err := s.SetActive(ctx, sv, created.ID, false); !errors.Is(err, operator.ErrUnchanged) {
		t.Fatalf("disable twice: %v", err)
	}
	if _, err := s.SignIn(ctx, "newbie", temp, "192.0.2.9"); !errors.Is(err, operator.ErrDisabled) {
		t.Fatalf("disabled sign-in: %v", err)
	}
	if _, err := s.SignIn(ctx, "newbie", "wrong-pass-1", "192.0.2.9"); !errors.Is(err, operator.ErrInvalidCredentials) {
		t.Fatalf("disabled with a wrong password says nothing more: %v", err)
	}
	if enabled, err := s.SetActive(ctx, sv, created.ID, true); err != nil || !enabled.Active() {
		t.Fatalf("enable: %+v %v", enabled, err)
	}

	// Reset password: the old one stops working, the new temporary one must be changed.
	reset, temp2, err := s.ResetPassword(ctx, sv, op.ID)
	if err != nil || !reset.MustChangePassword || reset.SessionVersion != op.SessionVersion+1 || temp2 == "" {
		t.Fatalf("reset password: %+v %v", reset, err)
	}
	if _, err := s.SignIn(ctx, "worker", "Operator1234", "192.0.2.9"); !errors.Is(err, operator.ErrInvalidCredentials) {
		t.Fatalf("old password after the reset: %v", err)
	}
	// The operator's own change: the current password must be right.
	if _, err := s.ChangePassword(ctx, reset, "wrong", "NewPassw0rd99"); !errors.Is(err, operator.ErrWrongPassword) {
		t.Fatalf("wrong current password: %v", err)
	}
	changed, err := s.ChangePassword(ctx, reset, temp2, "NewPassw0rd99")
	if err != nil || changed.MustChangePassword || changed.SessionVersion != reset.SessionVersion+1 {
		t.Fatalf("change password: %+v %v", changed, err)
	}
	if _, err := s.SignIn(ctx, "worker", "NewPassw0rd99", "192.0.2.9"); err != nil {
		t.Fatalf("new password: %v", err)
	}

	// Role: a second supervisor, then the first may be demoted, but never the last one.
	promoted, err := s.ChangeRole(ctx, sv, op.ID, operator.RoleSupervisor)
	if err != nil || !promoted.IsSupervisor() {
		t.Fatalf("promote: %+v %v", promoted, err)
	}
	if _, err := s.ChangeRole(ctx, sv, op.ID, operator.RoleSupervisor); !errors.Is(err, operator.ErrUnchanged) {
		t.Fatalf("same role: %v", err)
	}
	if _, err := s.ChangeRole(ctx, promoted, sv.ID, operator.RoleOperator); err != nil {
		t.Fatalf("demote the other supervisor: %v", err)
	}
	sv, _ = operator.ByID(ctx, db, sv.ID)
	if _, err := s.ChangeRole(ctx, sv, promoted.ID, operator.RoleOperator); !errors.Is(err, operator.ErrNotAllowed) {
		t.Fatalf("a demoted supervisor still acting: %v", err)
	}
	third := create(t, db, "third", "Supervisor1234", operator.RoleSupervisor)
	if _, err := s.SetActive(ctx, third, promoted.ID, false); err != nil {
		t.Fatalf("disable one of two supervisors: %v", err)
	}
	// third is now the only active supervisor; a disabled supervisor does not count.
	if _, err := s.SetActive(ctx, promoted, third.ID, false); !errors.Is(err, operator.ErrNotAllowed) {
		t.Fatalf("a disabled supervisor acting: %v", err)
	}
	// promoted (disabled) may be demoted: it leaves the active supervisors as they are.
	if _, err := s.ChangeRole(ctx, third, promoted.ID, operator.RoleOperator); err != nil {
		t.Fatalf("demote a disabled supervisor: %v", err)
	}

	entries, err := operator.AuditEntries(ctx, db, operator.AuditQuery{TargetType: operator.TargetOperator, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, e := range entries {
		count[e.Action]++
	}
	if count[operator.ActionCreate] != 1 || count[operator.ActionDisable] != 2 || count[operator.ActionEnable] != 1 ||
		count[operator.ActionPasswordReset] != 1 || count[operator.ActionPasswordChange] != 1 || count[operator.ActionRoleChange] != 3 {
		t.Fatalf("audit counts %v", count)
	}
}

// Two supervisors demoting (or disabling) each other at the same moment must not leave
// the portal without one: the steps are serialised and the second sees the first.
func TestLastSupervisorUnderConcurrency(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, _ := newService(t)
	for round := range 10 {
		a := create(t, db, "sva"+string(rune('a'+round)), "Supervisor1234", operator.RoleSupervisor)
		b := create(t, db, "svb"+string(rune('a'+round)), "Supervisor1234", operator.RoleSupervisor)
		// Every other supervisor of earlier rounds is out of the way.
		if _, err := db.Exec(ctx, `UPDATE operators SET disabled_at = now() WHERE role = 'supervisor' AND id NOT IN ($1, $2)`, a.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i, pair := range [][2]operator.Operator{{a, b}, {b, a}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if round%2 == 0 {
					_, errs[i] = s.ChangeRole(ctx, pair[0], pair[1].ID, operator.RoleOperator)
				} else {
					_, errs[i] = s.SetActive(ctx, pair[0], pair[1].ID, false)
				}
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, operator.ErrNotAllowed), errors.Is(err, operator.ErrLastSupervisor):
			default:
				t.Fatalf("round %d: %v", round, err)
			}
		}
		var active int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM operators WHERE role = 'supervisor' AND disabled_at IS NULL`).Scan(&active); err != nil {
			t.Fatal(err)
		}
		if ok != 1 || active != 1 {
			t.Fatalf("round %d: %d steps succeeded (%v), %d active supervisors left", round, ok, errs, active)
		}
	}
}
