package account_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/password"
	"portal/internal/testdb"
)

var testKey = []byte("test-key-test-key-test-key-test-key")

func insertFacility(t *testing.T, db *pgxpool.Pool, code string) account.Facility {
	t.Helper()
	var id int64
	err := db.QueryRow(context.Background(), `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES (13, 1, $1, '診療所', 'テスト診療所', '試験太郎', '100-0013', '東京都千代田区霞が関1-2-2', '03-0000-0000')
		RETURNING id`, code).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSignInLocksAfterFiveFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacility(t, db, "1234567")
	hash, _ := password.Hash("Correct123")
	a, err := account.Create(ctx, db, account.NewAccount{FacilityID: f.ID, Email: "clinic@example.jp", PasswordHash: hash,
		Profile: account.Profile{FacilityName: f.Name, FounderName: f.FounderName, Phone: f.Phone, ContactName: "担当"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := account.SignIn(ctx, db, testKey, "Clinic@Example.jp", "Correct123")
	if err != nil || p.AccountID != a.ID || p.Provisional() {
		t.Fatalf("good sign-in: %+v %v", p, err)
	}
	if _, err := account.SignIn(ctx, db, testKey, "clinic@example.jp", "correct123"); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("password is case-sensitive: %v", err)
	}
	for i := 2; i <= account.MaxFailures; i++ {
		_, err = account.SignIn(ctx, db, testKey, "clinic@example.jp", "wrong")
	}
	var locked *account.LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("fifth failure: %v, want LockedError", err)
	}
	if _, err := account.SignIn(ctx, db, testKey, "clinic@example.jp", "Correct123"); !errors.As(err, &locked) {
		t.Fatalf("right password while locked: %v", err)
	}
	// Unknown addresses get the same answer and the same lock.
	for i := 1; i <= account.MaxFailures; i++ {
		_, err = account.SignIn(ctx, db, testKey, "nobody@example.jp", "wrong")
		if i < account.MaxFailures && !errors.Is(err, account.ErrInvalidCredentials) {
			t.Fatalf("unknown address: %v", err)
		}
	}
	if !errors.As(err, &locked) {
		t.Fatalf("unknown address not locked alike: %v", err)
	}
	// The lock lives in the database: expire it there and sign-in works again.
	if _, err := db.Exec(ctx, `UPDATE login_throttle SET locked_until = now() - interval '1 second',
		window_start = now() - interval '1 hour'`); err != nil {
		t.Fatal(err)
	}
	if _, err := account.SignIn(ctx, db, testKey, "clinic@example.jp", "Correct123"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

func TestProvisionalSignIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := insertFacility(t, db, "7654321")
	if _, err := db.Exec(ctx, `INSERT INTO provisional_credentials (facility_id, login_id, secret_hash)
		VALUES ($1, '17654321@13', $2)`, f.ID, account.HashSecret(testKey, "pa1secret0")); err != nil {
		t.Fatal(err)
	}
	p, err := account.SignIn(ctx, db, testKey, "17654321@13", "pa1secret0")
	if err != nil || !p.Provisional() || p.FacilityID != f.ID {
		t.Fatalf("provisional sign-in: %+v %v", p, err)
	}
	if _, err := account.SignIn(ctx, db, testKey, "17654321@13", "PA1SECRET0"); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("wrong provisional secret: %v", err)
	}
}

func TestCreateRefusesSecondAccountAndSharedAddress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f1 := insertFacility(t, db, "1111111")
	f2 := insertFacility(t, db, "2222222")
	n := account.NewAccount{FacilityID: f1.ID, Email: "a@example.jp", PasswordHash: "x"}
	if _, err := account.Create(ctx, db, n); err != nil {
		t.Fatal(err)
	}
	n.Email = "b@example.jp"
	if _, err := account.Create(ctx, db, n); !errors.Is(err, account.ErrFacilityTaken) {
		t.Errorf("second account for a facility: %v", err)
	}
	n.FacilityID, n.Email = f2.ID, "A@EXAMPLE.JP"
	if _, err := account.Create(ctx, db, n); !errors.Is(err, account.ErrEmailTaken) {
		t.Errorf("shared address: %v", err)
	}
}
