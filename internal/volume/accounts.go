package volume

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/account"
)

// acct is a generated account; accounts[i] has id i+1.
type acct struct {
	facility int // index in facilities
	email    string
	contact  string
	created  time.Time
	version  int
}

// letterBatch is when the アカウント登録案内文書 went out, relative to the fill's present.
const letterBatchDaysAgo = 400

// fillAccounts registers an account for Counts.Accounts facilities drawn at random, over
// the last two years, numbered in the order they registered.
func fillAccounts(ctx context.Context, tx pgx.Tx, g *gen) error {
	hash, err := passwordHash()
	if err != nil {
		return err
	}
	picked := g.sample(len(g.facilities), g.n.Accounts)
	times := g.sortedTimes(len(picked), g.now.AddDate(-2, 0, 0), g.now.Add(-time.Hour))
	g.accounts = make([]acct, len(picked))
	for i, fi := range picked {
		f := &g.facilities[fi]
		f.account = i + 1
		a := acct{facility: fi, email: Email(f.pref, f.table, f.code), created: times[i], version: 1,
			contact: pick(g, surnames) + " " + pick(g, givenNames)}
		if g.chance(0.05) {
			a.version = 2 + g.rng.IntN(3) // changed the password or address since
		}
		g.accounts[i] = a
	}
	err = g.copyRows(ctx, tx, "accounts",
		[]string{"facility_id", "email", "password_hash", "facility_name", "founder_name", "phone", "contact_name",
			"session_version", "created_at", "updated_at", "password_changed_at"},
		len(g.accounts), func(i int) ([]any, error) {
			a := g.accounts[i]
			f := g.facilities[a.facility]
			changed := a.created
			if a.version > 1 {
				changed = g.between(a.created, g.now)
			}
			return []any{a.facility + 1, a.email, hash, f.name, f.founder, f.phone, a.contact, a.version,
				a.created, changed, changed}, nil
		})
	if err != nil {
		return err
	}
	return checkIdentities(ctx, tx, "accounts", len(g.accounts))
}

// fillLetters gives every facility without an account a live 仮メールアドレス・仮パスワード
// (nobody knows the passwords: the hashes are random), half of the accounts the letter
// they registered with, and a few accounts a letter an operator deleted (lost letter,
// registered afterwards through 初めてご利用になる方).
func fillLetters(ctx context.Context, tx pgx.Tx, g *gen) error {
	if err := checkIdentities(ctx, tx, "facilities", len(g.facilities)); err != nil {
		return err
	}
	batch := g.now.AddDate(0, 0, -letterBatchDaysAgo)
	type letter struct {
		facility  int
		seq       int
		usedAt    *time.Time
		deletedAt *time.Time
		deletedBy *int64
		reason    *string
	}
	var letters []letter
	reason := "案内文書を紛失したため（電話）"
	for i, f := range g.facilities {
		switch {
		case f.account == 0:
			letters = append(letters, letter{facility: i, seq: 1})
		case g.chance(0.5):
			used := g.accounts[f.account-1].created
			if used.Before(batch) {
				used = g.between(batch, g.now)
			}
			letters = append(letters, letter{facility: i, seq: 1, usedAt: &used})
		case g.chance(0.06):
			deleted := g.between(batch, g.accounts[f.account-1].created.Add(time.Hour))
			op := pick(g, g.operators)
			letters = append(letters, letter{facility: i, seq: 1, deletedAt: &deleted, deletedBy: &op, reason: &reason})
		}
	}
	secret := make([]byte, 32)
	return g.copyRows(ctx, tx, "provisional_credentials",
		[]string{"facility_id", "kind", "login_id", "secret_hash", "issued_at", "used_at", "deleted_at", "deleted_by", "delete_reason"},
		len(letters), func(i int) ([]any, error) {
			l := letters[i]
			f := g.facilities[l.facility]
			for j := range secret {
				secret[j] = byte(g.rng.Uint32())
			}
			login := account.LoginID(account.Facility{PrefectureCode: f.pref, ScoreTableCode: f.table, Code: f.code}, l.seq)
			return []any{l.facility + 1, "letter", login, append([]byte(nil), secret...), batch, l.usedAt, l.deletedAt, l.deletedBy, l.reason}, nil
		})
}
