package operator_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/operator"
	"portal/internal/ratelimit"
	"portal/internal/testdb"
)

var testSecret = []byte("test-secret-test-secret-test-secret-0123")

func newService(t *testing.T) (*operator.Service, *pgxpool.Pool, *clock) {
	t.Helper()
	db := testdb.New(t)
	s := operator.NewService(db, ratelimit.New(db, testSecret), testSecret)
	c := &clock{now: time.Now()}
	s.Now = c.Now
	return s, db, c
}

// clock is the second factor's clock, moved by the test.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time      { return c.now }
func (c *clock) add(d time.Duration) { c.now = c.now.Add(d) }
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := operator.CodeAt(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// secretOf reads the secret the enrolment page shows (spaces between groups dropped).
func secretOf(e operator.Enrolment) string { return e.Secret }

func TestEnrolmentAndSecondFactor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, clk := newService(t)
	o := create(t, db, "enrol1", "Operator1234", operator.RoleOperator)

	got, err := s.SignIn(ctx, "enrol1", "Operator1234", "192.0.2.1")
	if err != nil || got.Enrolled() {
		t.Fatalf("password step: %+v %v", got, err)
	}
	// A code before any enrolment is refused: the factor comes first.
	if _, err := s.SecondFactor(ctx, o.ID, got.SessionVersion, "123456", "192.0.2.1"); !errors.Is(err, operator.ErrNotEnrolled) {
		t.Fatalf("code without a factor: %v", err)
	}
	e, err := s.Enrolment(ctx, o.ID, got.SessionVersion)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Secret) != 32 || !strings.HasPrefix(e.URL, "otpauth://totp/") || !strings.Contains(e.URL, "secret="+e.Secret) ||
		!strings.HasPrefix(e.QR, "data:image/png;base64,iVBOR") || strings.Count(e.SecretGroups(), " ") != 7 {
		t.Fatalf("enrolment: %+v", e)
	}
	// Reloading the page shows the same secret (the app may already hold it).
	if again, err := s.Enrolment(ctx, o.ID, got.SessionVersion); err != nil || again.Secret != e.Secret {
		t.Fatalf("second view: %v %v", again.Secret, err)
	}
	// The secret is stored sealed, never as text.
	var stored []byte
	if err := db.QueryRow(ctx, `SELECT totp_secret FROM operators WHERE id = $1`, o.ID).Scan(&stored); err != nil ||
		strings.Contains(string(stored), e.Secret) || len(stored) < 40 {
		t.Fatalf("stored secret %q %v", stored, err)
	}

	if _, _, err := s.Enrol(ctx, o.ID, got.SessionVersion, "000000", "192.0.2.1"); !errors.Is(err, operator.ErrBadCode) {
		t.Fatalf("wrong first code: %v", err)
	}
	first := code(t, secretOf(e), clk.now)
	enrolled, recovery, err := s.Enrol(ctx, o.ID, got.SessionVersion, first[:3]+" "+first[3:], "192.0.2.1")
	if err != nil || !enrolled.Enrolled() || len(recovery) != operator.RecoveryCodeCount || enrolled.SessionVersion != got.SessionVersion+1 {
		t.Fatalf("enrol: %+v %v %v", enrolled, recovery, err)
	}
	seen := map[string]bool{}
	for _, rc := range recovery {
		if len(rc) != 11 || rc[5] != '-' || seen[rc] {
			t.Fatalf("recovery codes %v", recovery)
		}
		seen[rc] = true
	}
	if _, err := s.Enrolment(ctx, o.ID, enrolled.SessionVersion); !errors.Is(err, operator.ErrEnrolled) {
		t.Fatalf("enrolment page after enrolment: %v", err)
	}

	// The code that enrolled cannot sign in again (same step): replay.
	v := enrolled.SessionVersion
	if _, err := s.SecondFactor(ctx, o.ID, v, first, "192.0.2.1"); !errors.Is(err, operator.ErrReplayedCode) {
		t.Fatalf("replayed code: %v", err)
	}
	// Next step's code works once; the clock's step before is accepted too (drift).
	clk.add(30 * time.Second)
	next := code(t, secretOf(e), clk.now)
	if _, err := s.SecondFactor(ctx, o.ID, v, next, "192.0.2.1"); err != nil {
		t.Fatalf("next code: %v", err)
	}
	if _, err := s.SecondFactor(ctx, o.ID, v, next, "192.0.2.1"); !errors.Is(err, operator.ErrReplayedCode) {
		t.Fatalf("next code twice: %v", err)
	}
	clk.add(60 * time.Second)
	late := code(t, secretOf(e), clk.now.Add(-30*time.Second))
	if _, err := s.SecondFactor(ctx, o.ID, v, late, "192.0.2.1"); err != nil {
		t.Fatalf("code of the step before: %v", err)
	}
	clk.add(90 * time.Second)
	stale := code(t, secretOf(e), clk.now.Add(-60*time.Second))
	if _, err := s.SecondFactor(ctx, o.ID, v, stale, "192.0.2.1"); !errors.Is(err, operator.ErrBadCode) {
		t.Fatalf("code two steps old: %v", err)
	}

	// A recovery code, typed loosely, works once.
	rc := strings.ToLower(strings.ReplaceAll(recovery[3], "-", " "))
	if _, err := s.SecondFactor(ctx, o.ID, v, rc, "192.0.2.1"); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	if _, err := s.SecondFactor(ctx, o.ID, v, recovery[3], "192.0.2.1"); !errors.Is(err, operator.ErrBadCode) {
		t.Fatalf("recovery code twice: %v", err)
	}
	// A stale pending sign-in (the version moved on) is refused before any code.
	if _, err := s.SecondFactor(ctx, o.ID, v-1, recovery[4], "192.0.2.1"); !errors.Is(err, operator.ErrStalePending) {
		t.Fatalf("stale pending: %v", err)
	}

	got2, err := operator.AuditEntries(ctx, db, operator.AuditQuery{OperatorID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(got2) - 1; i >= 0; i-- {
		actions = append(actions, got2[i].Action)
	}
	want := "operator.code_failed operator.totp_enrolled operator.signin operator.code_failed operator.signin operator.code_failed " +
		"operator.signin operator.code_failed operator.recovery_code_used operator.signin operator.code_failed"
	if strings.Join(actions, " ") != want {
		t.Fatalf("audit:\n%s\nwant\n%s", strings.Join(actions, " "), want)
	}
}

func TestCodeLockOut(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, clk := newService(t)
	o := create(t, db, "lock1", "Operator1234", operator.RoleOperator)
	secret, _ := operator.NewTOTPSecret()
	if err := operator.EnrolKnownSecret(ctx, db, testSecret, o.ID, secret); err != nil {
		t.Fatal(err)
	}
	o, _ = operator.ByID(ctx, db, o.ID)

	var err error
	for i := 1; i <= account.MaxFailures; i++ {
		// The right password between wrong codes must not reset the count of wrong codes.
		if _, perr := s.SignIn(ctx, "lock1", "Operator1234", "192.0.2.2"); perr != nil {
			t.Fatalf("password %d: %v", i, perr)
		}
		_, err = s.SecondFactor(ctx, o.ID, o.SessionVersion, "999999", "192.0.2.2")
	}
	var locked *account.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("after %d wrong codes: %v", account.MaxFailures, err)
	}
	// Locked: the right code and the right password are both refused.
	if _, err := s.SecondFactor(ctx, o.ID, o.SessionVersion, code(t, secret, clk.now), "192.0.2.2"); !errors.As(err, &locked) {
		t.Fatalf("right code while locked: %v", err)
	}
	if _, err := s.SignIn(ctx, "lock1", "Operator1234", "192.0.2.2"); !errors.As(err, &locked) {
		t.Fatalf("right password while the code is locked: %v", err)
	}
	// A supervisor's factor reset lifts the code lock (the operator enrols again).
	sv := create(t, db, "lock-sv", "Supervisor1234", operator.RoleSupervisor)
	if _, err := s.ResetFactor(ctx, sv, o.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SignIn(ctx, "lock1", "Operator1234", "192.0.2.2"); err != nil || got.Enrolled() {
		t.Fatalf("after the reset: %+v %v", got, err)
	}
}

func TestCurrentCodeAndKnownSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	o := create(t, db, "known1", "Operator1234", operator.RoleOperator)
	if _, err := operator.CurrentCode(ctx, db, testSecret, "known1", time.Now()); !errors.Is(err, operator.ErrNotEnrolled) {
		t.Fatalf("code without a factor: %v", err)
	}
	if err := operator.EnrolKnownSecret(ctx, db, testSecret, o.ID, "not base32!"); err == nil {
		t.Fatal("a broken secret was enrolled")
	}
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	if err := operator.EnrolKnownSecret(ctx, db, testSecret, o.ID, secret); err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1_800_000_000, 0)
	got, err := operator.CurrentCode(ctx, db, testSecret, "known1", at)
	if err != nil || got != code(t, secret, at) || len(got) != 6 {
		t.Fatalf("current code %q %v", got, err)
	}
	// Under another SESSION_SECRET the sealed secret does not open.
	if _, err := operator.CurrentCode(ctx, db, []byte("another-secret-another-secret-012345678"), "known1", at); err == nil {
		t.Fatal("secret opened under another key")
	}
}
