package account_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/database"
	"portal/internal/password"
	"portal/internal/testdb"
)

// masterFacility adds a facility to the master for the registration tests.
func masterFacility(t *testing.T, db *pgxpool.Pool, pref, table int, code string) account.Facility {
	t.Helper()
	var id int64
	err := db.QueryRow(context.Background(), `INSERT INTO facilities
		(prefecture_code, score_table_code, code, kind, name, founder_name, postal_code, address, phone)
		VALUES ($1, $2, $3, '診療所', 'テスト診療所', '試験太郎', '1000013', '東京都千代田区霞が関1-2-2', '03-0000-0000')
		RETURNING id`, pref, table, code).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func requestRegistration(t *testing.T, db *pgxpool.Pool, email string) account.RegistrationRequest {
	t.Helper()
	var req account.RegistrationRequest
	err := database.WithTx(context.Background(), db, func(tx pgx.Tx) (err error) {
		req, err = account.IssueRegistrationLink(context.Background(), tx, email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func register(db *pgxpool.Pool, token string, facilityID int64, hash string) (account.Account, error) {
	var a account.Account
	err := database.WithTx(context.Background(), db, func(tx pgx.Tx) (err error) {
		a, err = account.Register(context.Background(), tx, token, facilityID, account.Profile{
			FacilityName: "テスト診療所", FounderName: "試験太郎", Phone: "03-1234-5678", ContactName: "山田"}, hash)
		return err
	})
	return a, err
}

var testHash = func() string { h, _ := password.Hash("Passw0rd"); return h }()

func TestRegistrationRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := masterFacility(t, db, 13, 1, "1234567")
	other := masterFacility(t, db, 13, 3, "1234567") // 歯科 of the same code: another facility
	pending := masterFacility(t, db, 27, 4, "7654321")
	if _, err := db.Exec(ctx, `INSERT INTO provisional_credentials (facility_id, login_id, secret_hash)
		VALUES ($1, '427765432@01', '\x00')`, pending.ID); err != nil {
		t.Fatal(err)
	}

	req := requestRegistration(t, db, "first@example.jp")
	if req.Token == "" || req.Registered {
		t.Fatalf("request: %+v", req)
	}
	if _, err := account.CheckRegistration(ctx, db, 13, 1, "7654321", "first@example.jp"); !errors.Is(err, account.ErrFacilityUnknown) {
		t.Errorf("unknown code: %v", err)
	}
	if _, err := account.CheckRegistration(ctx, db, 14, 1, "1234567", "first@example.jp"); !errors.Is(err, account.ErrFacilityUnknown) {
		t.Errorf("code of another prefecture: %v", err)
	}
	if _, err := account.CheckRegistration(ctx, db, 27, 4, "7654321", "first@example.jp"); !errors.Is(err, account.ErrProvisionalPending) {
		t.Errorf("unused provisional credentials: %v", err)
	}
	if got, err := account.CheckRegistration(ctx, db, 13, 1, "1234567", "first@example.jp"); err != nil || got.ID != f.ID {
		t.Fatalf("good facility: %+v %v", got, err)
	}
	if _, err := register(db, req.Token, pending.ID, testHash); !errors.Is(err, account.ErrProvisionalPending) {
		t.Errorf("register over provisional credentials: %v", err)
	}
	a, err := register(db, req.Token, f.ID, testHash)
	if err != nil || a.Email != "first@example.jp" || a.FacilityID != f.ID {
		t.Fatalf("register: %+v %v", a, err)
	}
	if _, err := register(db, req.Token, other.ID, testHash); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("link used twice: %v", err)
	}
	if _, err := account.CheckRegistration(ctx, db, 13, 1, "1234567", "second@example.jp"); !errors.Is(err, account.ErrFacilityTaken) {
		t.Errorf("second account for the facility: %v", err)
	}
	if _, err := account.CheckRegistration(ctx, db, 13, 3, "1234567", "FIRST@example.jp"); !errors.Is(err, account.ErrEmailTaken) {
		t.Errorf("second facility for the address: %v", err)
	}
	// The address is registered now: a new request says so instead of sending a link.
	if again := requestRegistration(t, db, "First@Example.jp"); !again.Registered {
		t.Errorf("request for a registered address: %+v", again)
	}

	// Expired links are refused.
	late := requestRegistration(t, db, "late@example.jp")
	if _, err := db.Exec(ctx, `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE lower(email) = 'late@example.jp'`); err != nil {
		t.Fatal(err)
	}
	if _, err := account.LookupToken(ctx, db, account.PurposeRegister, late.Token); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("expired link looked up: %v", err)
	}
	if _, err := register(db, late.Token, other.ID, testHash); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("expired link used: %v", err)
	}
	for _, bad := range []string{"", "x", req.Token + "x", "'; DROP TABLE accounts; --"} {
		if _, err := account.LookupToken(ctx, db, account.PurposeRegister, bad); !errors.Is(err, account.ErrTokenInvalid) {
			t.Errorf("LookupToken(%q) = %v", bad, err)
		}
	}

	// Only the hash is stored.
	var stored int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM account_tokens WHERE token_hash = convert_to($1, 'UTF8')`, req.Token).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("raw token stored: %d %v", stored, err)
	}
}

// TestConcurrentRegistrationOneAccount: fifty people registering the same facility at the
// same moment, each with their own verified address, end in exactly one account.
func TestConcurrentRegistrationOneAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	f := masterFacility(t, db, 1, 1, "0000001")
	const n = 50
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = requestRegistration(t, db, fmt.Sprintf("user%02d@example.jp", i)).Token
	}
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		results = make([]error, n)
	)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, results[i] = register(db, tokens[i], f.ID, testHash)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	for i, err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, account.ErrFacilityTaken):
			t.Errorf("attempt %d: %v, want ErrFacilityTaken", i, err)
		}
	}
	var accounts, used int
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM accounts WHERE facility_id = $1),
		(SELECT count(*) FROM account_tokens WHERE used_at IS NOT NULL)`, f.ID).Scan(&accounts, &used); err != nil {
		t.Fatal(err)
	}
	if ok != 1 || accounts != 1 || used != 1 {
		t.Errorf("successes %d, accounts %d, used links %d; want 1, 1, 1", ok, accounts, used)
	}
}

func newAccount(t *testing.T, db *pgxpool.Pool, code, email string) account.Account {
	t.Helper()
	f := masterFacility(t, db, 13, 1, code)
	a, err := account.Create(context.Background(), db, account.NewAccount{FacilityID: f.ID, Email: email, PasswordHash: testHash,
		Profile: account.Profile{FacilityName: "テスト診療所", FounderName: "試験太郎", Phone: "03-1234-5678", ContactName: "山田"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func inTx[T any](t *testing.T, db *pgxpool.Pool, fn func(tx pgx.Tx) (T, error)) (T, error) {
	t.Helper()
	var v T
	err := database.WithTx(context.Background(), db, func(tx pgx.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	return v, err
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	a := newAccount(t, db, "1111111", "reset@example.jp")

	if _, err := inTx(t, db, func(tx pgx.Tx) (string, error) {
		_, tok, err := account.IssuePasswordResetLink(ctx, tx, "nobody@example.jp")
		return tok, err
	}); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("unknown address: %v", err)
	}
	request := func() string {
		tok, err := inTx(t, db, func(tx pgx.Tx) (string, error) {
			_, tok, err := account.IssuePasswordResetLink(ctx, tx, "RESET@example.jp")
			return tok, err
		})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	first, second := request(), request()
	if _, err := inTx(t, db, func(tx pgx.Tx) (account.Account, error) { return account.PasswordResetAccount(ctx, tx, first) }); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("older link still live: %v", err)
	}
	got, err := inTx(t, db, func(tx pgx.Tx) (account.Account, error) { return account.PasswordResetAccount(ctx, tx, second) })
	if err != nil || got.ID != a.ID {
		t.Fatalf("reset account: %+v %v", got, err)
	}
	newHash, _ := password.Hash("NewPass123")
	after, err := inTx(t, db, func(tx pgx.Tx) (account.Account, error) { return account.ResetPassword(ctx, tx, second, newHash) })
	if err != nil || after.SessionVersion != a.SessionVersion+1 {
		t.Fatalf("reset: %+v %v", after, err)
	}
	stored, _ := account.ByID(ctx, db, a.ID)
	if !stored.CheckPassword("NewPass123") || stored.CheckPassword("Passw0rd") {
		t.Error("password not replaced")
	}
	if _, err := inTx(t, db, func(tx pgx.Tx) (account.Account, error) { return account.ResetPassword(ctx, tx, second, testHash) }); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("link used twice: %v", err)
	}

	// A link mailed before the address changed is void.
	third := request()
	if _, err := account.SetEmail(ctx, db, a.ID, "moved@example.jp"); err != nil {
		t.Fatal(err)
	}
	if _, err := inTx(t, db, func(tx pgx.Tx) (account.Account, error) { return account.ResetPassword(ctx, tx, third, testHash) }); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("link for the old address: %v", err)
	}
}

func TestEmailChangeAndPasswordChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	a := newAccount(t, db, "2222222", "old@example.jp")
	newAccount(t, db, "3333333", "taken@example.jp")

	if _, err := inTx(t, db, func(tx pgx.Tx) (string, error) { return account.RequestEmailChange(ctx, tx, a.ID, "Taken@example.jp") }); !errors.Is(err, account.ErrEmailTaken) {
		t.Errorf("address of another account: %v", err)
	}
	tok, err := inTx(t, db, func(tx pgx.Tx) (string, error) { return account.RequestEmailChange(ctx, tx, a.ID, "new@example.jp") })
	if err != nil {
		t.Fatal(err)
	}
	target, err := inTx(t, db, func(tx pgx.Tx) (account.Token, error) { return account.EmailChangeTarget(ctx, tx, tok) })
	if err != nil || target.Email != "new@example.jp" || target.AccountID != a.ID {
		t.Fatalf("target: %+v %v", target, err)
	}
	type changed struct {
		a   account.Account
		old string
	}
	c, err := inTx(t, db, func(tx pgx.Tx) (changed, error) {
		a, old, err := account.ConfirmEmailChange(ctx, tx, tok)
		return changed{a, old}, err
	})
	if err != nil || c.old != "old@example.jp" || c.a.Email != "new@example.jp" || c.a.SessionVersion != a.SessionVersion+1 {
		t.Fatalf("confirm: %+v %v", c, err)
	}
	if _, err := account.ByEmail(ctx, db, "new@example.jp"); err != nil {
		t.Errorf("new address does not sign in: %v", err)
	}
	if _, err := inTx(t, db, func(tx pgx.Tx) (changed, error) {
		a, old, err := account.ConfirmEmailChange(ctx, tx, tok)
		return changed{a, old}, err
	}); !errors.Is(err, account.ErrTokenInvalid) {
		t.Errorf("link used twice: %v", err)
	}

	// The address was taken between the request and the confirmation: nothing changes.
	late, err := inTx(t, db, func(tx pgx.Tx) (string, error) { return account.RequestEmailChange(ctx, tx, a.ID, "race@example.jp") })
	if err != nil {
		t.Fatal(err)
	}
	newAccount(t, db, "4444444", "race@example.jp")
	if _, err := inTx(t, db, func(tx pgx.Tx) (changed, error) {
		a, old, err := account.ConfirmEmailChange(ctx, tx, late)
		return changed{a, old}, err
	}); !errors.Is(err, account.ErrEmailTaken) {
		t.Errorf("confirm onto a taken address: %v", err)
	}

	v, err := inTx(t, db, func(tx pgx.Tx) (int, error) { return account.ChangePassword(ctx, tx, a.ID, testHash) })
	if err != nil || v != c.a.SessionVersion+1 {
		t.Errorf("change password: %d %v", v, err)
	}
}

func TestPruneTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.New(t)
	requestRegistration(t, db, "old@example.jp")
	fresh := requestRegistration(t, db, "fresh@example.jp")
	if _, err := db.Exec(ctx, `UPDATE account_tokens SET expires_at = now() - interval '8 days' WHERE email = 'old@example.jp'`); err != nil {
		t.Fatal(err)
	}
	n, err := account.PruneTokens(ctx, db)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := account.LookupToken(ctx, db, account.PurposeRegister, fresh.Token); err != nil {
		t.Errorf("live link pruned: %v", err)
	}
}
