package volume

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/demo"
	"portal/internal/operator"
	"portal/internal/password"
)

// volumeOperators is how many call-center operators the volume adds to the demo's two:
// the first supervisors of them are supervisors, the rest operators.
const (
	volumeOperators   = 38
	volumeSupervisors = 4
)

// model is a reader of the catalog, with how often facilities choose it.
type model struct {
	id      int64
	maker   string
	product string
}

// Relative popularity of the catalog's readers, in catalog order; readers beyond the list
// get the last weight.
var modelWeights = []int{35, 25, 15, 15, 10}

var (
	hashOnce  sync.Once
	knownHash string
	hashErr   error
)

// passwordHash is Password hashed once with argon2id and shared by every account and
// volume operator: hashing 200,000 passwords would take over an hour on two cores.
func passwordHash() (string, error) {
	hashOnce.Do(func() { knownHash, hashErr = password.Hash(Password) })
	return knownHash, hashErr
}

// op is an operator as the later steps need it: its id, and its session version (which
// its sessions carry).
type op struct {
	id         int64
	version    int
	supervisor bool
}

// fillReference loads the demo's catalog, news and operators (the same rows "portal
// seed-demo" loads), then the volume's operators, gives every operator a second factor
// (sealed under the session secret, as the enrolment stores it), and writes the answer
// templates the supervisors keep for inquiries.
func fillReference(ctx context.Context, tx pgx.Tx, g *gen) error {
	for _, name := range []string{"content", "operators"} {
		i := -1
		for j, s := range demo.Steps {
			if s.Name == name {
				i = j
			}
		}
		if i < 0 {
			return fmt.Errorf("no demo step %q", name)
		}
		if err := demo.Steps[i].Run(ctx, tx); err != nil {
			return fmt.Errorf("demo step %s: %w", name, err)
		}
	}
	hash, err := passwordHash()
	if err != nil {
		return err
	}
	since := g.now.AddDate(-2, 0, 0)
	rows := make([][]any, volumeOperators)
	for i := range rows {
		role := "operator"
		if i < volumeSupervisors {
			role = "supervisor"
		}
		created := since.Add(time.Duration(i) * time.Hour)
		rows[i] = []any{fmt.Sprintf("volume-op%02d", i+1), pick(g, surnames) + " " + pick(g, givenNames), role, hash,
			created, created, g.between(g.now.Add(-72*time.Hour), g.now)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"operators"},
		[]string{"login", "name", "role", "password_hash", "created_at", "password_changed_at", "last_signin_at"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("operators: %w", err)
	}
	if err := g.enrolOperators(ctx, tx); err != nil {
		return err
	}
	r, err := tx.Query(ctx, `SELECT id, session_version, role = 'supervisor' FROM operators ORDER BY id`)
	if err != nil {
		return err
	}
	g.operators, err = pgx.CollectRows(r, func(row pgx.CollectableRow) (op, error) {
		var o op
		return o, row.Scan(&o.id, &o.version, &o.supervisor)
	})
	if err != nil {
		return err
	}
	for _, o := range g.operators {
		if o.supervisor {
			g.supervisors = append(g.supervisors, o.id)
		}
	}
	r, err = tx.Query(ctx, `SELECT id, maker, product FROM card_reader_models WHERE active ORDER BY sort_order, id`)
	if err != nil {
		return err
	}
	g.models, err = pgx.CollectRows(r, func(row pgx.CollectableRow) (model, error) {
		var m model
		return m, row.Scan(&m.id, &m.maker, &m.product)
	})
	if err != nil {
		return err
	}
	if len(g.models) == 0 {
		return fmt.Errorf("the catalog is empty")
	}
	if err := g.answerTemplates(ctx, tx); err != nil {
		return err
	}
	g.logf("  %d card readers in the catalog, %d operators (login volume-op01…volume-op%02d)", len(g.models), len(g.operators), volumeOperators)
	return nil
}

// enrolOperators sets up every operator's second factor: the volume's with TOTPSecret, the
// demo's with the demo's secret, as "portal seed-demo" does. Without a session secret to
// seal them under, the operators enrol at their first sign-in instead.
func (g *gen) enrolOperators(ctx context.Context, tx pgx.Tx) error {
	if len(g.key) == 0 {
		return nil
	}
	r, err := tx.Query(ctx, `SELECT id, login FROM operators ORDER BY id`)
	if err != nil {
		return err
	}
	type login struct {
		id   int64
		name string
	}
	logins, err := pgx.CollectRows(r, func(row pgx.CollectableRow) (login, error) {
		var l login
		return l, row.Scan(&l.id, &l.name)
	})
	if err != nil {
		return err
	}
	for _, l := range logins {
		secret := TOTPSecret
		if len(l.name) < len("volume-") || l.name[:len("volume-")] != "volume-" {
			secret = demo.DemoTOTPSecret
		}
		if err := operator.EnrolKnownSecret(ctx, tx, g.key, l.id, secret); err != nil {
			return fmt.Errorf("operator %s: %w", l.name, err)
		}
	}
	return nil
}

// answerTemplates are the 回答テンプレート the supervisors keep, with the placeholders the
// inquiry page fills in.
var answerTemplates = [][2]string{
	{"パスワードを忘れた場合", "{{施設名}} ご担当者様\n\nお問い合わせいただき、ありがとうございます。\nログイン画面の「パスワードを忘れた方はこちら」から、登録済みのメールアドレスを入力してください。パスワード再設定用のURLをお送りします（有効期限は1時間です）。\n\n医療機関等コード：{{医療機関等コード}}"},
	{"アカウント登録案内文書を紛失した場合", "{{施設名}} ご担当者様\n\nアカウント登録案内文書を紛失・破棄された場合は、コールセンターで仮メールアドレスと仮パスワードを削除したうえで、「初めてご利用になる方（アカウント登録）」から登録できます。"},
	{"カードリーダーの配送予定日について", "{{施設名}} ご担当者様\n\n配送予定日は、メーカーとの調整が済み次第、メールとマイページでお知らせいたします。申込内容は配送予定日が決まるまで変更できます。"},
	{"利用申請の差戻しについて", "{{施設名}} ご担当者様\n\n差戻しの理由はマイページの利用申請欄に表示されています。内容を修正のうえ、再度申請してください。"},
	{"電子証明書の発行時期について", "{{施設名}} ご担当者様\n\n電子証明書は申請から1週間程度で発行し、通知書を簡易書留でお送りします。セットアップ予定日の5営業日前までに申請してください。"},
}

func (g *gen) answerTemplates(ctx context.Context, tx pgx.Tx) error {
	rows := make([][]any, len(answerTemplates))
	for i, t := range answerTemplates {
		rows[i] = []any{t[0], t[1], (i + 1) * 10, pick(g, g.supervisors), g.now.AddDate(0, -6, -i)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"inquiry_templates"}, []string{"title", "body", "sort_order", "updated_by", "updated_at"},
		pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("answer templates: %w", err)
	}
	return nil
}

// pickOp returns an operator's id at random.
func (g *gen) pickOp() int64 { return g.operators[g.rng.IntN(len(g.operators))].id }

// pickModel chooses a reader by popularity, skipping makers already taken.
func (g *gen) pickModel(taken map[string]bool) (model, bool) {
	total := 0
	weight := func(i int) int {
		if taken[g.models[i].maker] {
			return 0
		}
		return modelWeights[min(i, len(modelWeights)-1)]
	}
	for i := range g.models {
		total += weight(i)
	}
	if total == 0 {
		return model{}, false
	}
	r := g.rng.IntN(total)
	for i := range g.models {
		if r -= weight(i); r < 0 {
			return g.models[i], true
		}
	}
	return model{}, false
}
