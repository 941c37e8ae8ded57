// Package testfixture makes the rows domain tests start from: a master facility with an
// account, on a test database from internal/testdb.
package testfixture

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"portal/internal/account"
	"portal/internal/application"
	"portal/internal/pref"
)

// Facility makes a master facility of kind (pref.KindHospital, …) with code (7 digits) in
// Tokyo, and its account (e-mail code@example.jp); it returns them as the domain services
// take an applicant.
func Facility(t testing.TB, db *pgxpool.Pool, code, kind string) application.Applicant {
	t.Helper()
	ctx := context.Background()
	score := pref.ScoreTableMedical
	if kind == pref.KindPharmacy {
		score = pref.ScoreTablePharmacy
	}
	var id int64
	name := fmt.Sprintf("テスト%s%s", kind, code)
	err := db.QueryRow(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name,
		postal_code, address, phone) VALUES (13, $1, $2, $3, $4, '開設者', '1000013', '東京都千代田区霞が関1-2-2', '03-0000-0000')
		RETURNING id`, score, code, kind, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	a, err := account.Create(ctx, db, account.NewAccount{FacilityID: id, Email: code + "@example.jp", PasswordHash: "x",
		Profile: account.Profile{FacilityName: name, FounderName: "開設者", Phone: "03-0000-0000", ContactName: "担当者"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := account.FacilityByID(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	return application.Applicant{Account: a, Facility: f}
}

// Operator makes an operator and returns its id.
func Operator(t testing.TB, db *pgxpool.Pool, login string) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(context.Background(), `INSERT INTO operators (login, name, role, password_hash)
		VALUES ($1, $1 || 'さん', 'operator', 'x') RETURNING id`, login).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
