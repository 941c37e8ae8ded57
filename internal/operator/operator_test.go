package operator_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/operator"
	"portal/internal/password"
	"portal/internal/testdb"
)

func create(t *testing.T, db database.DB, login, plain string, role operator.Role) operator.Operator {
	t.Helper()
	hash, err := password.Hash(plain)
	if err != nil {
		t.Fatal(err)
	}
	o, err := operator.Create(context.Background(), db, operator.NewOperator{Login: login, Name: "試験 " + login, Role: role, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	o := create(t, db, "suzuki", "Secret1234", operator.RoleSupervisor)
	if got, err := operator.ByID(ctx, db, o.ID); err != nil || got.Login != "suzuki" || !got.IsSupervisor() || got.Role.Label() != "スーパーバイザー" {
		t.Fatalf("ByID: %+v %v", got, err)
	}
	if got, err := operator.ByLogin(ctx, db, "suzuki"); err != nil || got.ID != o.ID {
		t.Fatalf("ByLogin: %+v %v", got, err)
	}
	if _, err := operator.ByLogin(ctx, db, "nobody"); !errors.Is(err, operator.ErrNotFound) {
		t.Fatalf("unknown login: %v", err)
	}
	if _, err := operator.ByID(ctx, db, o.ID+100); !errors.Is(err, operator.ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
	if _, err := operator.Create(ctx, db, operator.NewOperator{Login: "suzuki", Name: "別人", Role: operator.RoleOperator, PasswordHash: "x"}); !errors.Is(err, operator.ErrLoginTaken) {
		t.Fatalf("duplicate login: %v", err)
	}
	if _, err := operator.Create(ctx, db, operator.NewOperator{Login: "root", Name: "x", Role: "admin", PasswordHash: "x"}); err == nil {
		t.Fatal("unknown role accepted")
	}
}

func TestSignInLockOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	o := create(t, db, "tanaka", "Operator1234", operator.RoleOperator)

	got, err := operator.SignIn(ctx, db, "tanaka", "Operator1234")
	if err != nil || got.ID != o.ID {
		t.Fatalf("good sign-in: %+v %v", got, err)
	}
	if _, err := operator.SignIn(ctx, db, "tanaka", "operator1234"); !errors.Is(err, operator.ErrInvalidCredentials) {
		t.Fatalf("password is case-sensitive: %v", err)
	}
	if _, err := operator.SignIn(ctx, db, "nobody", "Operator1234"); !errors.Is(err, operator.ErrInvalidCredentials) {
		t.Fatalf("unknown login answers alike: %v", err)
	}
	// A facility login of the same name shares the table, not the counter.
	for range account.MaxFailures {
		_, _ = account.SignIn(ctx, db, []byte("k"), "tanaka", "wrong")
	}
	if _, err := operator.SignIn(ctx, db, "tanaka", "Operator1234"); err != nil {
		t.Fatalf("facility failures locked the operator: %v", err)
	}

	for i := 1; i <= account.MaxFailures; i++ {
		_, err = operator.SignIn(ctx, db, "tanaka", "wrong")
		if i < account.MaxFailures && !errors.Is(err, operator.ErrInvalidCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	var locked *account.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("fifth failure: %v, want LockedError", err)
	}
	if _, err := operator.SignIn(ctx, db, "tanaka", "Operator1234"); !errors.As(err, &locked) {
		t.Fatalf("right password while locked: %v", err)
	}
	if _, err := account.SignIn(ctx, db, []byte("k"), "tanaka2@example.jp", "x"); errors.As(err, &locked) {
		t.Fatal("operator lock spilled over to facility logins")
	}

	entries, err := operator.AuditEntries(ctx, db, operator.AuditQuery{OperatorID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	var failed, lockedEntries int
	for _, e := range entries {
		if e.Action == operator.ActionSignInFailed {
			failed++
			if strings.Contains(string(e.Detail), `"locked": true`) {
				lockedEntries++
			}
		}
	}
	if failed != 1+account.MaxFailures || lockedEntries != 1 {
		t.Fatalf("audit: %d failures, %d locks in %+v", failed, lockedEntries, entries)
	}

	// The lock lives in the database: expire it there and sign-in works again.
	if _, err := db.Exec(ctx, `UPDATE login_throttle SET locked_until = now() - interval '1 second',
		window_start = now() - interval '1 hour' WHERE login = 'operator:tanaka'`); err != nil {
		t.Fatal(err)
	}
	if _, err := operator.SignIn(ctx, db, "tanaka", "Operator1234"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

func TestRecordInTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	o := create(t, db, "sato", "Secret1234", operator.RoleOperator)

	if err := operator.Record(ctx, db, o.ID, "facility.lookup", "facility", 42, map[string]string{"reason": "電話"}); err != nil {
		t.Fatal(err)
	}
	if err := operator.Record(ctx, db, 0, "batch.letters", "", 0, nil); err != nil {
		t.Fatal(err)
	}
	// An entry written in a transaction that rolls back is gone with the change.
	rollback := errors.New("rollback")
	err := database.WithTx(ctx, db, func(tx pgx.Tx) error {
		if err := operator.Record(ctx, tx, o.ID, "facility.delete", "facility", 42, nil); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}

	got, err := operator.AuditEntries(ctx, db, operator.AuditQuery{TargetType: "facility", TargetID: 42})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Action != "facility.lookup" || got[0].OperatorName != o.Name ||
		!strings.Contains(string(got[0].Detail), "電話") {
		t.Fatalf("facility trail: %+v", got)
	}
	all, err := operator.AuditEntries(ctx, db, operator.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Action != "batch.letters" || all[0].OperatorID != 0 || string(all[0].Detail) != "{}" {
		t.Fatalf("all entries, newest first: %+v", all)
	}
}
