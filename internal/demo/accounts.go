package demo

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
	"portal/internal/config"
	"portal/internal/password"
)

// The facility accounts of the demo: a registered clinic to try マイページ with, and a
// pharmacy holding a mailed letter (アカウント登録案内文書) with a known 仮パスワード, to try
// the letter's path. The passwords are published in README.md, so these must never exist
// outside a demo.
var (
	demoClinic = struct {
		pref, table int
		code        string
		email, pw   string
		contact     string
	}{13, 1, "0130013", "clinic@example.jp", "Demo1234pass", "見本 花子"}
	demoLetter = struct {
		pref, table int
		code, pw    string
	}{13, 4, "0180018", "pademoletter2026"}
)

func accountLogins() []Login {
	f := account.Facility{PrefectureCode: demoLetter.pref, ScoreTableCode: demoLetter.table, Code: demoLetter.code}
	return []Login{
		{Role: "登録済みの診療所（デモ丸の内内科クリニック）", Path: "/login", Login: demoClinic.email, Password: demoClinic.pw},
		{Role: "アカウント登録案内文書の薬局（デモ上野公園前薬局・仮メールアドレス）", Path: "/login", Login: account.LoginID(f, 0), Password: demoLetter.pw},
	}
}

// seedAccounts registers the demo clinic, addresses a document to it, and issues the demo
// pharmacy's letter. The 仮パスワード is stored under the same key the server uses
// (SESSION_SECRET from the environment, as "portal serve" reads it), so seed and serve
// must share that setting, as make run and docker compose do.
func seedAccounts(ctx context.Context, tx pgx.Tx) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	clinic, err := account.FacilityByIdentity(ctx, tx, demoClinic.pref, demoClinic.table, demoClinic.code)
	if err != nil {
		return fmt.Errorf("demo clinic: %w", err)
	}
	hash, err := password.Hash(demoClinic.pw)
	if err != nil {
		return err
	}
	_, err = account.Create(ctx, tx, account.NewAccount{FacilityID: clinic.ID, Email: demoClinic.email, PasswordHash: hash,
		Profile: account.Profile{FacilityName: clinic.Name, FounderName: clinic.FounderName, Phone: clinic.Phone, ContactName: demoClinic.contact}})
	if err != nil && !errors.Is(err, account.ErrFacilityTaken) && !errors.Is(err, account.ErrEmailTaken) {
		return fmt.Errorf("demo clinic account: %w", err)
	}
	if _, err := account.SendMessage(ctx, tx, clinic.ID, 0, "オンライン資格確認の運用開始日のご入力について（デモ）",
		"貴医療機関におかれましては、オンライン資格確認の運用を開始された際は、医療機関等向けポータルサイトの「運用開始日入力」から運用開始日をご入力ください。\n\n（この文書はデモ用のサンプルです。）"); err != nil {
		return err
	}

	pharmacy, err := account.FacilityByIdentity(ctx, tx, demoLetter.pref, demoLetter.table, demoLetter.code)
	if err != nil {
		return fmt.Errorf("demo pharmacy: %w", err)
	}
	login := account.LoginID(pharmacy, 0)
	_, err = tx.Exec(ctx, `INSERT INTO provisional_credentials (facility_id, kind, login_id, secret_hash)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, pharmacy.ID, account.KindLetter, login, account.HashSecret(cfg.SessionSecret, demoLetter.pw))
	if err != nil {
		return fmt.Errorf("demo letter: %w", err)
	}
	return nil
}
