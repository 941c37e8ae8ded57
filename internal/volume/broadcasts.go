package volume

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/mail"
	"portal/internal/pref"
)

// bcast is a generated 一斉送信 (or the notice of a document sent to a set); broadcasts[i]
// has id i+1.
type bcast struct {
	template string
	subject  string
	body     string
	filter   audience.Filter
	doc      int // document id, 0 for none
	docTitle string
	created  time.Time
	op       int64
	token    string
	// accounts are the recipients (indices), in id order as the enqueue job takes them.
	accounts []int
	enqueued time.Time
}

// mailData is the data the broadcast's mail is rendered with once, the recipient's name
// left as the marker mail.SendBulk replaces.
func (b bcast) mailData() any {
	if b.template == "document_waiting" {
		return mail.DocumentWaiting{FacilityName: mail.FacilityNameMarker, Title: b.docTitle, BaseURL: baseURL}
	}
	return mail.Broadcast{FacilityName: mail.FacilityNameMarker, Subject: b.subject, Body: b.body, BaseURL: baseURL}
}

// announcements are the broadcasts the supervisors sent, how long ago and to whom: one to
// every account, the rest to filtered sets.
var announcements = []struct {
	daysAgo       int
	subject, body string
	filter        audience.Filter
}{
	{200, "オンライン資格確認の導入に関する重要なお知らせ",
		"医療機関・薬局におけるオンライン資格確認の導入が原則として義務付けられます。\n顔認証付きカードリーダーの申込がお済みでない場合は、ポータルサイトからお早めにお申し込みください。\n導入に向けた手順は「利用申請・補助申請の流れ」をご覧ください。",
		audience.Filter{}},
	{120, "病院向けオンライン資格確認導入説明会のご案内",
		"都内の病院の皆様を対象に、オンライン資格確認の導入に関するオンライン説明会を開催します。\n日程と参加方法はお知らせ欄をご覧ください。",
		audience.Filter{Prefecture: 13, Kind: pref.KindHospital}},
	{75, "顔認証付きカードリーダーの申込期限が近づいています",
		"顔認証付きカードリーダーの申込期限が近づいています。\n申込がお済みでない医療機関・薬局は、ポータルサイトの「顔認証付きカードリーダー申込」からお申し込みください。",
		audience.Filter{State: "cardreader_none"}},
	{20, "電子証明書発行申請のお願い",
		"オンライン資格確認利用申請が承認されています。\n資格確認端末ごとに、電子証明書発行申請を行ってください。セットアップ予定日の5営業日前までに申請してください。",
		audience.Filter{State: "qualification_approved_no_certificate"}},
	{10, "オンライン資格確認利用申請の再申請のお願い",
		"差戻しとなっているオンライン資格確認利用申請があります。\nマイページで差戻しの理由をご確認のうえ、内容を修正して再度申請してください。",
		audience.Filter{State: "qualification_returned"}},
}

// fillBroadcasts writes the broadcasts (the announcements and the notices of documents sent
// to a set), every one delivered by now, and records their mails as the enqueue job writes
// them (one per recipient account, mail.SendBulk's) and their audit entries.
func fillBroadcasts(ctx context.Context, tx pgx.Tx, g *gen) error {
	for _, a := range announcements {
		at := g.now.AddDate(0, 0, -a.daysAgo).Add(-time.Duration(g.rng.IntN(8*3600)) * time.Second)
		recipients, err := g.audience(ctx, tx, a.filter, at)
		if err != nil {
			return err
		}
		if len(recipients) == 0 {
			continue // refused with broadcast.MsgNobody
		}
		g.broadcasts = append(g.broadcasts, bcast{template: "broadcast", subject: a.subject, body: a.body, filter: a.filter,
			created: at, op: pick(g, g.supervisors), token: g.token(), accounts: recipients})
	}
	slices.SortFunc(g.broadcasts, func(a, b bcast) int { return a.created.Compare(b.created) })
	interval := time.Second / 10 // BROADCAST_RATE's default
	for i := range g.broadcasts {
		b := &g.broadcasts[i]
		chunks := (len(b.accounts) + broadcast.DefaultChunkSize - 1) / broadcast.DefaultChunkSize
		b.enqueued = b.created.Add(time.Duration(1+2*chunks) * time.Second)
		for j, ai := range b.accounts {
			a := g.accounts[ai]
			f := g.facilities[a.facility]
			at := b.created.Add(time.Duration(1+2*(j/broadcast.DefaultChunkSize)) * time.Second)
			g.mails = append(g.mails, mailSpec{at: at, template: b.template, to: a.email, facility: int64(a.facility + 1),
				broadcast: i + 1, name: f.name, sentAt: minTime(g.now, b.enqueued.Add(time.Duration(j)*interval))})
		}
		g.record(b.created, b.op, broadcast.ActionSend, broadcast.TargetBroadcast, int64(i+1), map[string]any{
			"subject": b.subject, "audience": b.filter.Label(), "planned": len(b.accounts), "document_id": b.doc})
	}
	return g.copyRows(ctx, tx, "broadcasts", []string{"template", "subject", "body", "audience", "audience_label", "status",
		"planned", "enqueued", "cursor_account", "created_by", "created_at", "enqueued_at", "token", "document_id"},
		len(g.broadcasts), func(i int) ([]any, error) {
			b := g.broadcasts[i]
			filter, err := json.Marshal(b.filter)
			if err != nil {
				return nil, err
			}
			var doc any
			if b.doc != 0 {
				doc = b.doc
			}
			return []any{b.template, b.subject, b.body, string(filter), b.filter.Label(), broadcast.StatusSending,
				len(b.accounts), len(b.accounts), b.accounts[len(b.accounts)-1] + 1, b.op, b.created, b.enqueued, b.token, doc}, nil
		})
}
