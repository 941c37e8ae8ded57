package account

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"portal/internal/database"
)

const facilityColumns = `id, prefecture_code, score_table_code, code, kind, name, founder_name,
	postal_code, address, phone, large_chain_pharmacy, dental_hospital_with_medical`

func scanFacility(row pgx.Row) (Facility, error) {
	var f Facility
	err := row.Scan(&f.ID, &f.PrefectureCode, &f.ScoreTableCode, &f.Code, &f.Kind, &f.Name, &f.FounderName,
		&f.PostalCode, &f.Address, &f.Phone, &f.LargeChainPharmacy, &f.DentalHospitalWithMedical)
	if errors.Is(err, pgx.ErrNoRows) {
		return Facility{}, ErrNotFound
	}
	return f, err
}

// FacilityByID returns a master facility.
func FacilityByID(ctx context.Context, db database.DB, id int64) (Facility, error) {
	f, err := scanFacility(db.QueryRow(ctx, `SELECT `+facilityColumns+` FROM facilities WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return f, fmt.Errorf("account: facility %d: %w", id, err)
	}
	return f, err
}

// FacilityByIdentity returns the master facility (都道府県, 点数表, 医療機関等コード).
func FacilityByIdentity(ctx context.Context, db database.DB, prefecture, scoreTable int, code string) (Facility, error) {
	f, err := scanFacility(db.QueryRow(ctx, `SELECT `+facilityColumns+` FROM facilities
		WHERE prefecture_code = $1 AND score_table_code = $2 AND code = $3`, prefecture, scoreTable, code))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return f, fmt.Errorf("account: facility lookup: %w", err)
	}
	return f, err
}

const accountColumns = `id, facility_id, email, password_hash, facility_name, founder_name, phone,
	contact_name, session_version, created_at, updated_at`

func scanAccount(row pgx.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.FacilityID, &a.Email, &a.passwordHash, &a.FacilityName, &a.FounderName,
		&a.Phone, &a.ContactName, &a.SessionVersion, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, ErrNotFound
	}
	return a, err
}

// ByID returns an account.
func ByID(ctx context.Context, db database.DB, id int64) (Account, error) {
	a, err := scanAccount(db.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("account: by id: %w", err)
	}
	return a, err
}

// ByEmail returns the account whose login address is email, ignoring case.
func ByEmail(ctx context.Context, db database.DB, email string) (Account, error) {
	a, err := scanAccount(db.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE lower(email) = lower($1)`, strings.TrimSpace(email)))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("account: by email: %w", err)
	}
	return a, err
}

// ByFacility returns the account of a facility.
func ByFacility(ctx context.Context, db database.DB, facilityID int64) (Account, error) {
	a, err := scanAccount(db.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE facility_id = $1`, facilityID))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return a, fmt.Errorf("account: by facility: %w", err)
	}
	return a, err
}

// Create inserts an account. It returns ErrFacilityTaken or ErrEmailTaken when the unique
// constraints refuse it, which is what makes concurrent registrations end in one account.
func Create(ctx context.Context, db database.DB, n NewAccount) (Account, error) {
	a, err := scanAccount(db.QueryRow(ctx, `INSERT INTO accounts
		(facility_id, email, password_hash, facility_name, founder_name, phone, contact_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING `+accountColumns,
		n.FacilityID, n.Email, n.PasswordHash, n.FacilityName, n.FounderName, n.Phone, n.ContactName))
	switch {
	case database.IsUniqueViolation(err, "accounts_facility_key"):
		return Account{}, ErrFacilityTaken
	case database.IsUniqueViolation(err, "accounts_email_key"):
		return Account{}, ErrEmailTaken
	case err != nil:
		return Account{}, fmt.Errorf("account: create: %w", err)
	}
	return a, nil
}

// UpdateProfile changes the editable fields of an account.
func UpdateProfile(ctx context.Context, db database.DB, id int64, p Profile) error {
	tag, err := db.Exec(ctx, `UPDATE accounts SET facility_name = $2, founder_name = $3, phone = $4,
		contact_name = $5, updated_at = now() WHERE id = $1`, id, p.FacilityName, p.FounderName, p.Phone, p.ContactName)
	if err != nil {
		return fmt.Errorf("account: update profile: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// SetPassword stores a new password hash and ends every session of the account; it returns
// the new session version, which the session that made the change keeps.
func SetPassword(ctx context.Context, db database.DB, id int64, passwordHash string) (int, error) {
	var v int
	err := db.QueryRow(ctx, `UPDATE accounts SET password_hash = $2, password_changed_at = now(), updated_at = now(),
		session_version = session_version + 1 WHERE id = $1 RETURNING session_version`, id, passwordHash).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("account: set password: %w", err)
	}
	return v, nil
}

// SetEmail switches the login address and ends every session of the account; it returns the
// new session version.
func SetEmail(ctx context.Context, db database.DB, id int64, email string) (int, error) {
	var v int
	err := db.QueryRow(ctx, `UPDATE accounts SET email = $2, updated_at = now(),
		session_version = session_version + 1 WHERE id = $1 RETURNING session_version`, id, email).Scan(&v)
	switch {
	case database.IsUniqueViolation(err, "accounts_email_key"):
		return 0, ErrEmailTaken
	case errors.Is(err, pgx.ErrNoRows):
		return 0, ErrNotFound
	case err != nil:
		return 0, fmt.Errorf("account: set email: %w", err)
	}
	return v, nil
}

// EndSessions makes every session of the account invalid, returning the new version.
func EndSessions(ctx context.Context, db database.DB, id int64) (int, error) {
	var v int
	err := db.QueryRow(ctx, `UPDATE accounts SET session_version = session_version + 1 WHERE id = $1
		RETURNING session_version`, id).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("account: end sessions: %w", err)
	}
	return v, nil
}

// CheckPassword reports whether plain is the account's password.
func (a Account) CheckPassword(plain string) bool {
	ok, err := verifyPassword(a.passwordHash, plain)
	return err == nil && ok
}

// UserColumns select an account and its facility from accounts a joined to facilities f,
// for ScanUser: the signed-in facility of a request in one row.
const UserColumns = `a.id, a.facility_id, a.email, a.password_hash, a.facility_name, a.founder_name, a.phone,
	a.contact_name, a.session_version, a.created_at, a.updated_at,
	f.id, f.prefecture_code, f.score_table_code, f.code, f.kind, f.name, f.founder_name,
	f.postal_code, f.address, f.phone, f.large_chain_pharmacy, f.dental_hospital_with_medical`

// UserDest returns the scan destinations of UserColumns into a and f, after any the caller
// puts in front.
func UserDest(a *Account, f *Facility) []any {
	return []any{&a.ID, &a.FacilityID, &a.Email, &a.passwordHash, &a.FacilityName, &a.FounderName,
		&a.Phone, &a.ContactName, &a.SessionVersion, &a.CreatedAt, &a.UpdatedAt,
		&f.ID, &f.PrefectureCode, &f.ScoreTableCode, &f.Code, &f.Kind, &f.Name, &f.FounderName,
		&f.PostalCode, &f.Address, &f.Phone, &f.LargeChainPharmacy, &f.DentalHospitalWithMedical}
}
