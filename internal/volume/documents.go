package volume

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/audience"
	"portal/internal/document"
	"portal/internal/filecheck"
	"portal/internal/mail"
	"portal/internal/pref"
)

// doc is a generated 個別文書; docs[i] has id i+1.
type doc struct {
	title    string
	filename string
	pdf      []byte
	created  time.Time
	by       int64 // the supervisor who sent it
	token    string
	// facility is the one facility (index+1) it went to, 0 for a set; to lists the facility
	// indices it was addressed to (one, or the set's).
	facility int
	filter   audience.Filter
	to       []int
	// withMail are the facilities of to whose account existed then, mailed the notice.
	withMail []int
}

// Titles of the documents the fund sends to one facility.
var documentTitles = []string{
	"顔認証付きカードリーダーの配送日程について",
	"オンライン資格確認の導入状況に関するご確認",
	"補助金申請書類の不備について",
	"電子証明書の有効期限について",
	"アカウント登録内容のご確認のお願い",
}

// setDocuments are the documents sent to a set of facilities, how long ago, and to whom.
var setDocuments = []struct {
	title   string
	daysAgo int
	filter  audience.Filter
}{
	{"病院における顔認証付きカードリーダーの設置台数について", 240, audience.Filter{Kind: pref.KindHospital}},
	{"オンライン資格確認利用申請のお願い（保険薬局の皆様へ）", 45,
		audience.Filter{State: "qualification_none", ScoreTable: 4}},
}

// fillDocuments sends the documents: Counts.Documents to one facility each (a facility
// without an account then gets no mail, only the document on its future マイページ), and a
// few to a set of facilities, whose notice goes out as a broadcast, as document.Service does.
func fillDocuments(ctx context.Context, tx pgx.Tx, g *gen) error {
	for range g.n.Documents {
		fi := g.rng.IntN(len(g.facilities))
		d := doc{title: pick(g, documentTitles), created: g.between(g.now.AddDate(0, 0, -540), g.now), facility: fi + 1, to: []int{fi}}
		if ai := g.facilities[fi].account; ai > 0 && g.accounts[ai-1].created.Before(d.created) {
			d.withMail = d.to
		}
		g.docs = append(g.docs, d)
	}
	for _, s := range setDocuments {
		at := g.now.AddDate(0, 0, -s.daysAgo).Add(-time.Duration(g.rng.IntN(8*3600)) * time.Second)
		recipients, err := g.audience(ctx, tx, s.filter, at)
		if err != nil {
			return err
		}
		d := doc{title: s.title, created: at, filter: s.filter}
		for _, ai := range recipients {
			d.to = append(d.to, g.accounts[ai].facility)
		}
		d.withMail = d.to
		if len(d.to) > 0 { // a set that matches nobody is refused (broadcast.MsgNobody)
			g.docs = append(g.docs, d)
		}
	}
	slices.SortFunc(g.docs, func(a, b doc) int { return a.created.Compare(b.created) })
	var messages int
	for i := range g.docs {
		g.sendDocument(i)
		messages += len(g.docs[i].to)
	}
	err := g.copyRows(ctx, tx, "documents", []string{"title", "filename", "size", "sha256", "data", "audience_label", "recipients",
		"created_by", "created_at", "token"}, len(g.docs), func(i int) ([]any, error) {
		d := g.docs[i]
		sum := sha256.Sum256(d.pdf)
		label := ""
		if d.facility == 0 {
			label = d.filter.Label()
		}
		return []any{d.title, d.filename, len(d.pdf), sum[:], d.pdf, label, len(d.to), d.by, d.created, d.token}, nil
	})
	if err != nil {
		return err
	}
	return g.copyMessages(ctx, tx, messages)
}

// sendDocument makes document i's file and token and records what document.Service.Send
// does besides storing it: the notice mail to one facility's account, or the broadcast of a
// set's, and the audit entries.
func (g *gen) sendDocument(i int) {
	d := &g.docs[i]
	d.by = pick(g, g.supervisors)
	d.pdf = filecheck.SamplePDF(fmt.Sprintf("Document %d", i+1))
	d.filename = filecheck.CleanName(d.title+".pdf", filecheck.PDF)
	d.token = g.token()
	sum := sha256.Sum256(d.pdf)
	label := ""
	if d.facility == 0 {
		label = d.filter.Label()
		g.broadcasts = append(g.broadcasts, bcast{template: "document_waiting", subject: "個別文書のお知らせ", body: d.title,
			filter: d.filter, doc: i + 1, docTitle: d.title, created: d.created, op: d.by, token: "document:" + d.token,
			accounts: g.accountsOf(d.to)})
	} else if len(d.withMail) > 0 {
		fi := d.to[0]
		g.mail(d.created, "document_waiting", g.accounts[g.facilities[fi].account-1].email, int64(fi+1),
			mail.DocumentWaiting{FacilityName: g.facilities[fi].name, Title: d.title, BaseURL: baseURL})
	}
	g.record(d.created, d.by, document.ActionSend, document.TargetDocument, int64(i+1), map[string]any{
		"title": d.title, "sha256": hex.EncodeToString(sum[:]), "recipients": len(d.to), "facility_id": d.facility,
		"audience": label, "no_account": d.facility != 0 && len(d.withMail) == 0})
}

// accountsOf returns the accounts (indices) of facilities (indices), in id order.
func (g *gen) accountsOf(facilities []int) []int {
	out := make([]int, 0, len(facilities))
	for _, fi := range facilities {
		if ai := g.facilities[fi].account; ai > 0 {
			out = append(out, ai-1)
		}
	}
	slices.Sort(out)
	return out
}

// copyMessages writes each document's facility_messages rows: 未読 or 既読 on マイページ (most
// facilities with an account open a document within days).
func (g *gen) copyMessages(ctx context.Context, tx pgx.Tx, n int) error {
	type message struct {
		doc, facility int
	}
	list := make([]message, 0, n)
	for i, d := range g.docs {
		for _, fi := range d.to {
			list = append(list, message{doc: i, facility: fi})
		}
	}
	return g.copyRows(ctx, tx, "facility_messages", []string{"facility_id", "title", "body", "sent_by", "created_at", "read_at", "document_id"},
		len(list), func(i int) ([]any, error) {
			m := list[i]
			d := g.docs[m.doc]
			var read any
			if ai := g.facilities[m.facility].account; ai > 0 && g.chance(0.6) {
				read = minTime(g.now, maxTime(d.created, g.accounts[ai-1].created).Add(time.Duration(g.rng.IntN(5*24*3600))*time.Second))
			}
			return []any{m.facility + 1, d.title, document.DefaultNote, d.by, d.created, read, m.doc + 1}, nil
		})
}

// audience returns the accounts (indices) filter f selects among those that existed at
// at, by the portal's own conditions (internal/audience), in id order as the enqueue job
// takes them.
func (g *gen) audience(ctx context.Context, tx pgx.Tx, f audience.Filter, at time.Time) ([]int, error) {
	var args []any
	where := f.Where(&args)
	args = append(args, at)
	rows, err := tx.Query(ctx, `SELECT a.id`+audience.From+where+fmt.Sprintf(` AND a.created_at < $%d ORDER BY a.id`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("audience %s: %w", f.Label(), err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("audience %s: %w", f.Label(), err)
	}
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = int(id - 1)
	}
	return out, nil
}
