package volume

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/filecheck"
	"portal/internal/inquiry"
	"portal/internal/jp"
	"portal/internal/mail"
)

// inq is a generated 問い合わせ; inquiries[i] has id i+1.
type inq struct {
	reference string
	status    inquiry.Status
	priority  int
	channel   string
	category  string
	facility  int // index+1, 0 for none
	account   int // index+1, 0 for a visitor or a phone caller
	code      string
	name      string
	email     string
	phone     string
	assignee  int64
	openedBy  int64
	token     string
	created   time.Time
	updated   time.Time
	thread    []imsg
}

// imsg is one entry of a case's thread.
type imsg struct {
	kind   string
	op     int64
	body   string
	at     time.Time
	token  string
	mail   int64 // the answer's outbox id, set by fillMails
	attach bool
	// byPhone marks what an operator told a phone caller at once: recorded, not mailed.
	byPhone bool
}

// questions are what people ask, by category (inquiry.Categories).
var questions = map[string][]string{
	"アカウント登録・ログイン": {
		"アカウント登録案内文書が届いていません。どうすればよいでしょうか。",
		"パスワードを忘れてしまい、再設定のメールも届きません。",
		"担当者が変わったため、登録しているメールアドレスを変更したいです。",
	},
	"顔認証付きカードリーダー": {
		"カードリーダーの配送予定日はいつ頃になりますか。",
		"申込んだカードリーダーの機種を変更したいのですが、可能でしょうか。",
		"送付先を本院ではなく分院にしたいです。",
	},
	"オンライン資格確認利用申請・電子証明書": {
		"利用申請のお客さまIDがどこに書かれているのか分かりません。",
		"電子証明書は端末ごとに申請が必要でしょうか。",
		"利用申請が差戻しになりました。どこを直せばよいでしょうか。",
	},
	"補助金":        {"補助金の申請に必要な書類を教えてください。", "領収書の写しはPDFでよいでしょうか。"},
	"ポータルサイトの操作": {"確認画面から先に進めません。", "マイページに申込内容が表示されません。"},
	"その他":        {"オンライン資格確認の導入スケジュールについて相談したいです。", "説明会の資料はどこで入手できますか。"},
}

// answers are the operators' answers, generic enough for any question.
var answers = []string{
	"お問い合わせいただき、ありがとうございます。\nご質問の件は、マイページの該当の申請欄からご確認いただけます。ご不明な点がございましたら、本メールにご返信ではなく、マイページのお問い合わせからご連絡ください。",
	"お問い合わせいただき、ありがとうございます。\n担当部署に確認いたしましたところ、現在手続きを進めております。結果は改めてメールでお知らせいたします。",
	"お問い合わせいただき、ありがとうございます。\n手順は「利用申請・補助申請の流れ」ページに掲載しております。あわせて各種資料ダウンロードの手引きもご参照ください。",
}

var replies = []string{"ご回答ありがとうございます。もう一点確認させてください。", "手順どおりに操作しましたが、まだ解決しません。", "承知しました。追加で資料をお送りします。"}
var notes = []string{"折り返し電話済み。メーカーに配送状況を確認中。", "前回の問い合わせと同じ内容。", "担当者不在のため明日再連絡。"}

// Shares of the inquiries: by phone, and of the form's, from a signed-in facility.
const (
	phoneShare    = 0.25
	signedInShare = 0.6
)

// fillInquiries writes the cases: the inquiry form's (a signed-in facility's, tied to it, or
// a visitor's) and the phone callers' an operator opened, each with its thread as it went:
// answered by mail, replied to on マイページ, noted, closed; the newest still 新規 or 対応中.
func fillInquiries(ctx context.Context, tx pgx.Tx, g *gen) error {
	g.inquiries = make([]inq, g.n.Inquiries)
	for i := range g.inquiries {
		from := g.now.AddDate(0, 0, -540)
		if g.chance(0.7) {
			from = g.now.AddDate(0, 0, -180)
		}
		g.inquiries[i].created = g.between(from, g.now)
	}
	slices.SortFunc(g.inquiries, func(a, b inq) int { return a.created.Compare(b.created) })
	for i := range g.inquiries {
		g.inquiryLife(i)
	}
	if _, err := tx.Exec(ctx, `SELECT setval('inquiry_reference_seq', $1, $2)`, max(len(g.inquiries), 1), len(g.inquiries) > 0); err != nil {
		return fmt.Errorf("inquiry reference sequence: %w", err)
	}
	return g.copyRows(ctx, tx, "inquiries", []string{"reference", "status", "priority", "channel", "category", "facility_id",
		"account_id", "facility_code", "name", "email", "phone", "assignee_id", "opened_by", "form_token", "created_at", "updated_at"},
		len(g.inquiries), func(i int) ([]any, error) {
			x := g.inquiries[i]
			return []any{x.reference, string(x.status), x.priority, x.channel, x.category, nullInt(x.facility), nullInt(x.account),
				x.code, x.name, x.email, x.phone, nullID(x.assignee), nullID(x.openedBy), x.token, x.created, x.updated}, nil
		})
}

// inquiryLife makes case i: who sent it and how, then its thread, mails and audit entries.
func (g *gen) inquiryLife(i int) {
	x := &g.inquiries[i]
	id := int64(i + 1)
	x.reference = fmt.Sprintf("IQ%s-%06d", x.created.In(jp.Zone).Format("060102"), i+1) // inquiry.NewReference
	x.category = pick(g, inquiry.Categories)
	x.priority = inquiry.PriorityNormal
	if g.chance(0.1) {
		x.priority = inquiry.PriorityHigh
	}
	x.status = inquiry.New
	person := pick(g, surnames) + " " + pick(g, givenNames)
	question := imsg{kind: inquiry.KindQuestion, body: pick(g, questions[x.category]), at: x.created}
	if g.chance(phoneShare) {
		x.channel, x.name, x.openedBy = inquiry.ChannelPhone, person, g.pickOp()
		x.assignee, x.status = x.openedBy, inquiry.InProgress
		x.token = "phone:" + g.stepToken()
		if g.chance(0.8) {
			fi := g.rng.IntN(len(g.facilities))
			f := g.facilities[fi]
			x.facility, x.code, x.phone = fi+1, tenDigits(f), f.phone
			if f.account > 0 && g.chance(0.5) {
				x.email = g.accounts[f.account-1].email
			}
		}
		x.thread = []imsg{question}
		if g.chance(0.6) {
			x.status = inquiry.Answered
			x.thread = append(x.thread, imsg{kind: inquiry.KindAnswer, op: x.openedBy, body: pick(g, answers), at: x.created, byPhone: true})
		}
		g.record(x.created, x.openedBy, inquiry.ActionOpen, inquiry.TargetInquiry, id, map[string]any{"reference": x.reference,
			"facility_id": x.facility})
	} else {
		x.channel, x.token = inquiry.ChannelForm, g.formToken(x.created)
		question.attach = g.chance(0.03)
		x.thread = []imsg{question}
		if ai := g.accountBefore(x.created); ai >= 0 && g.chance(signedInShare) {
			a := g.accounts[ai]
			f := g.facilities[a.facility]
			x.facility, x.account, x.code, x.name, x.email, x.phone = a.facility+1, ai+1, tenDigits(f), a.contact, a.email, f.phone
		} else {
			x.name, x.email = person, fmt.Sprintf("toiawase%d@clinic.example.jp", i+1)
			if g.chance(0.5) {
				x.code = tenDigits(pick(g, g.facilities))
			}
		}
		g.mail(x.created, "inquiry_received", x.email, int64(x.facility), mail.InquiryReceived{Name: x.name, Reference: x.reference,
			Category: x.category, Mypage: x.facility != 0, BaseURL: baseURL})
	}
	g.converse(i)
	x.updated = x.thread[len(x.thread)-1].at
	for j := range x.thread {
		m := &x.thread[j]
		if m.kind == inquiry.KindAnswer && x.email != "" && !m.byPhone {
			g.mails = append(g.mails, mailSpec{at: m.at, template: "inquiry_answered", to: x.email, facility: int64(x.facility),
				data: mail.InquiryAnswered{Name: x.name, Reference: x.reference, Answer: m.body, Mypage: x.facility != 0, BaseURL: baseURL},
				id:   &m.mail})
		}
	}
}

// converse continues case i's thread after it was opened, as far as its age allows: an
// operator takes it up and answers (mailed), the facility may reply on マイページ and be
// answered again, a note now and then, and answered cases are closed after two weeks.
func (g *gen) converse(i int) {
	x := &g.inquiries[i]
	id := int64(i + 1)
	at := x.created
	later := func(minH, spanH int) bool {
		t := at.Add(time.Duration(minH*3600+g.rng.IntN(spanH*3600)) * time.Second)
		if t.After(g.now) {
			return false
		}
		at = t
		return true
	}
	status := func(op int64, to inquiry.Status) {
		g.add(x, imsg{kind: inquiry.KindEvent, op: op, body: fmt.Sprintf("状態を「%s」から「%s」に変更しました。", x.status, to), at: at})
		g.record(at, op, inquiry.ActionStatus, inquiry.TargetInquiry, id, map[string]any{"from": x.status, "to": to, "reference": x.reference})
		x.status = to
	}
	op := x.assignee
	if op == 0 {
		op = g.pickOp()
	}
	// On a busy day a case waits: the newest are still 新規, the next 対応中.
	if x.status == inquiry.New {
		if !later(2, 72) {
			return
		}
		if g.chance(0.5) {
			status(op, inquiry.InProgress)
			if !later(4, 96) {
				return
			}
		}
	}
	for round := 0; round < 2 && x.status != inquiry.Answered; round++ {
		if g.chance(0.15) {
			g.add(x, imsg{kind: inquiry.KindNote, op: op, body: pick(g, notes), at: at, token: g.stepToken()})
			g.record(at, op, inquiry.ActionNote, inquiry.TargetInquiry, id, map[string]any{"reference": x.reference})
		}
		g.add(x, imsg{kind: inquiry.KindAnswer, op: op, body: pick(g, answers), at: at, token: g.stepToken()})
		g.record(at, op, inquiry.ActionAnswer, inquiry.TargetInquiry, id, map[string]any{"mailed": x.email != "", "reference": x.reference})
		if x.assignee == 0 {
			x.assignee = op
		}
		x.status = inquiry.Answered
		// A facility's case may go on: it replies on マイページ (the case is 対応中 again).
		if x.account == 0 || !g.chance(0.3) || !later(2, 96) {
			break
		}
		g.add(x, imsg{kind: inquiry.KindReply, body: pick(g, replies), at: at, token: g.stepToken()})
		x.status = inquiry.InProgress
		if !later(1, 48) {
			return
		}
	}
	if x.status == inquiry.Answered && g.chance(0.7) && later(14*24, 7*24) {
		status(op, inquiry.Closed)
	}
}

// add appends an entry to a case's thread.
func (g *gen) add(x *inq, m imsg) { x.thread = append(x.thread, m) }

// accountBefore returns an account (index) that existed at t, or -1.
func (g *gen) accountBefore(t time.Time) int {
	for range 8 {
		if ai := g.rng.IntN(len(g.accounts)); g.accounts[ai].created.Before(t) {
			return ai
		}
	}
	return -1
}

// stepToken is a thread form's single-use token (inquiry.NewStepToken's shape).
func (g *gen) stepToken() string { return fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64()) }

// formToken is an inquiry form's token in inquiry.NewFormToken's shape: the time the form
// was shown, a nonce, and a signature (not one the portal would accept again; it only
// names the case).
func (g *gen) formToken(sent time.Time) string {
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(g.rng.Uint32())
	}
	shown := sent.Add(-time.Duration(30+g.rng.IntN(600)) * time.Second)
	return fmt.Sprintf("%d.%012x%012x.%s", shown.Unix(), g.rng.Uint64()>>16, g.rng.Uint64()>>16, base64.RawURLEncoding.EncodeToString(sig))
}

func tenDigits(f facility) string { return fmt.Sprintf("%02d%d%s", f.pref, f.table, f.code) }

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// fillThreads writes every case's thread, oldest entry first (the answers name their mail
// in the outbox), and the files sent with a few questions.
func fillThreads(ctx context.Context, tx pgx.Tx, g *gen) error {
	type ref struct{ inq, msg int }
	var all []ref
	for i, x := range g.inquiries {
		for j := range x.thread {
			all = append(all, ref{i, j})
		}
	}
	slices.SortStableFunc(all, func(a, b ref) int {
		return g.inquiries[a.inq].thread[a.msg].at.Compare(g.inquiries[b.inq].thread[b.msg].at)
	})
	var attachments []ref // inquiry, message id
	err := g.copyRows(ctx, tx, "inquiry_messages", []string{"inquiry_id", "kind", "operator_id", "body", "mail_id", "token", "created_at"},
		len(all), func(i int) ([]any, error) {
			r := all[i]
			m := g.inquiries[r.inq].thread[r.msg]
			if m.attach {
				attachments = append(attachments, ref{r.inq, i + 1})
			}
			var token any
			if m.token != "" {
				token = m.token
			}
			return []any{r.inq + 1, m.kind, nullID(m.op), m.body, nullID(m.mail), token, m.at}, nil
		})
	if err != nil {
		return err
	}
	pdf := filecheck.SamplePDF("Screenshot")
	sum := sha256.Sum256(pdf)
	return g.copyRows(ctx, tx, "inquiry_attachments", []string{"inquiry_id", "message_id", "filename", "content_type", "size",
		"sha256", "data", "created_at"}, len(attachments), func(i int) ([]any, error) {
		a := attachments[i]
		return []any{a.inq + 1, a.msg, "画面の写し.pdf", filecheck.PDF, len(pdf), sum[:], pdf, g.inquiries[a.inq].created}, nil
	})
}
