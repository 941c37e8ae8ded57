package demo

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5"

	"portal/internal/config"
	"portal/internal/content"
	"portal/internal/master"
	"portal/internal/operator"
	"portal/internal/password"
)

// Steps are the demo data in the order they load. Append new steps at the end (facility
// accounts need the facilities); a step's Name is its identity in demo_seed.
var Steps = []Step{
	{Name: "facilities", Run: seedFacilities},
	{Name: "content", Run: seedContent},
	{Name: "operators", Run: seedOperators, Logins: operatorLogins()},
	{Name: "accounts", Run: seedAccounts, Logins: accountLogins()},
	{Name: "operator_factors", Run: seedOperatorFactors},
	{Name: "conversation", Run: seedConversation},
}

// facilitiesCSV is a fictional facility master in the fund's format: every 施設種別 and
// 点数表 in eight prefectures, postal codes and town names real (public areas), names
// marked デモ, phone numbers of the form 0X-0000-XXXX that no line uses.
//
//go:embed facilities.csv
var facilitiesCSV []byte

// seedFacilities goes through master.Import, so the demo file is held to the same rules
// as the fund's.
func seedFacilities(ctx context.Context, tx pgx.Tx) error {
	_, err := master.Import(ctx, tx, bytes.NewReader(facilitiesCSV))
	return err
}

func seedContent(ctx context.Context, tx pgx.Tx) error {
	return content.SeedDemo(ctx, tx)
}

// demoOperator is a back-office account of the demo; the passwords are published in
// README.md, so these accounts must never exist outside a demo.
type demoOperator struct {
	login, name, role, label, password string
}

var demoOperators = []demoOperator{
	{"operator", "デモ オペレーター", "operator", "オペレーター", "Operator1234"},
	{"supervisor", "デモ スーパーバイザー", "supervisor", "スーパーバイザー", "Supervisor1234"},
}

// DemoTOTPSecret is the second factor of the demo operators: a fixed development secret,
// published in README.md like their passwords, so a newcomer can add it to an
// authenticator app (or run `portal operator totp-code operator`). Only seed-demo uses it.
const DemoTOTPSecret = "PORTALDEMOPORTALDEMOPORTALDEMO22"

func operatorLogins() []Login {
	out := make([]Login, len(demoOperators))
	for i, o := range demoOperators {
		out[i] = Login{Role: o.label, Path: "/admin", Login: o.login, Password: o.password, TOTPSecret: DemoTOTPSecret}
	}
	return out
}

// seedOperatorFactors gives each demo operator without a second factor the development
// secret, sealed under SESSION_SECRET as "portal serve" reads it (seed and serve must
// share that setting, as make run and docker compose do).
func seedOperatorFactors(ctx context.Context, tx pgx.Tx) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	for _, d := range demoOperators {
		o, err := operator.ByLogin(ctx, tx, d.login)
		if errors.Is(err, operator.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if o.Enrolled() {
			continue
		}
		if err := operator.EnrolKnownSecret(ctx, tx, cfg.SessionSecret, o.ID, DemoTOTPSecret); err != nil {
			return fmt.Errorf("operator %s: %w", d.login, err)
		}
	}
	return nil
}

// seedOperators leaves an existing login alone: someone may have changed its password.
func seedOperators(ctx context.Context, tx pgx.Tx) error {
	for _, o := range demoOperators {
		hash, err := password.Hash(o.password)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO operators (login, name, role, password_hash)
			VALUES ($1, $2, $3, $4) ON CONFLICT (login) DO NOTHING`,
			o.login, o.name, o.role, hash); err != nil {
			return fmt.Errorf("operator %s: %w", o.login, err)
		}
	}
	return nil
}
