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
	// changed is when the password was last changed (a reset), for version > 1.
	changed time.Time
	// viaLetter is set when the account was made from the mailed letter's forced edit;
	// the others registered through 初めてご利用になる方 (a registration link first).
	viaLetter bool
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
			a.version = 2 + g.rng.IntN(3) // changed the password since
			a.changed = g.between(a.created, g.now)
		}
		g.accounts[i] = a
	}
	err = g.copyRows(ctx, tx, "accounts",
		[]string{"facility_id", "email", "password_hash", "facility_name", "founder_name", "phone", "contact_name",
			"session_version", "created_at", "updated_at", "password_changed_at", "last_sign_in_at"},
		len(g.accounts), func(i int) ([]any, error) {
			a := g.accounts[i]
			f := g.facilities[a.facility]
			changed := a.created
			if a.version > 1 {
				changed = a.changed
			}
			// Most sign in now and then; the last time lies between the last change and now.
			var signedIn any
			if g.chance(0.9) {
				signedIn = g.between(changed, g.now)
			}
			return []any{a.facility + 1, a.email, hash, f.name, f.founder, f.phone, a.contact, a.version,
				a.created, changed, changed, signedIn}, nil
		})
	if err != nil {
		return err
	}
	return checkIdentities(ctx, tx, "accounts", len(g.accounts))
}

// fillLetters gives every facility without an account a live 仮メールアドレス・仮パスワード
// (nobody knows the passwords: the hashes are random); of the accounts registered since
// the batch, most used their letter and the rest lost it: an operator deleted it and they
// registered through 初めてご利用になる方. Accounts older than the batch got no letter. It
// then records the accounts' own mails, which depend on how each registered.
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
		case g.accounts[f.account-1].created.Before(batch):
			// Registered before the batch, which writes letters only for facilities without one.
		case g.chance(0.85):
			// Registered with the letter: its forced edit made the account.
			used := g.accounts[f.account-1].created
			g.accounts[f.account-1].viaLetter = true
			letters = append(letters, letter{facility: i, seq: 1, usedAt: &used})
		default:
			// The letter was lost: an operator deleted it, and the facility registered through
			// 初めてご利用になる方.
			deleted := g.between(batch, g.accounts[f.account-1].created.Add(-10*time.Minute))
			op := g.pickOp()
			letters = append(letters, letter{facility: i, seq: 1, deletedAt: &deleted, deletedBy: &op, reason: &reason})
			g.record(deleted, op, "facility.provisional_delete", "facility", int64(i+1),
				map[string]any{"credential_id": len(letters), "reason": reason})
		}
	}
	g.linkMails()
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
