package web_test

import (
	"context"
	"time"

	"portal/internal/account"
	"portal/internal/audience"
	"portal/internal/broadcast"
	"portal/internal/document"
	"portal/internal/filecheck"
	"portal/internal/inquiry"
)

// conversation seeds the hostile world with what the conversation pages show: the other
// facility's inquiry (with a thread) and document, an answer template, a broadcast, and
// hostile text in each, so every page that shows them is seen escaping it.
func (w *hostileWorld) conversation(supervisorID int64, fB account.Facility, emailB string, modelID int64) {
	w.t.Helper()
	ctx := context.Background()
	svc := w.env.Services
	rc, err := svc.Inquiries.Submit(ctx, inquiry.Sender{FacilityID: fB.ID, FacilityCode: fB.TenDigitCode()},
		inquiry.Input{Category: inquiry.Categories[0], Name: "他施設 花子", Email: emailB, Question: "他施設だけの質問",
			Token: inquiry.NewFormToken(w.env.Config.SessionSecret, time.Now().Add(-time.Minute))}, "192.0.2.200")
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.env.DB.QueryRow(ctx, `SELECT id FROM inquiries WHERE reference = $1`, rc.Reference).Scan(&w.otherInquiry); err != nil {
		w.t.Fatal(err)
	}
	if err := svc.Inquiries.Answer(ctx, supervisorID, w.otherInquiry, "他施設への回答", inquiry.NewStepToken()); err != nil {
		w.t.Fatal(err)
	}
	if err := svc.Inquiries.Note(ctx, supervisorID, w.otherInquiry, "内部メモ", inquiry.NewStepToken()); err != nil {
		w.t.Fatal(err)
	}
	if w.templateID, err = svc.Inquiries.SaveTemplate(ctx, supervisorID, inquiry.Template{Title: "テンプレート", Body: "{{施設名}} 様"}); err != nil {
		w.t.Fatal(err)
	}
	doc, err := svc.Documents.Send(ctx, supervisorID, document.Input{Title: "他施設あて文書ZQY", File: document.Upload{Filename: "a.pdf",
		Data: filecheck.SamplePDF("x")}, FacilityID: fB.ID, Token: "hostile-document-0000000000"})
	if err != nil {
		w.t.Fatal(err)
	}
	if w.broadcastID, err = svc.Broadcasts.Send(ctx, supervisorID, broadcast.Draft{Subject: "一斉送信", Body: "本文",
		Audience: audience.Filter{}}, "hostile-broadcast-000000000"); err != nil {
		w.t.Fatal(err)
	}
	// The broadcast's mails are written and delivered now, so that the other facility's
	// rows do not change under the test.
	if err := svc.Broadcasts.EnqueueAll(ctx, w.broadcastID); err != nil {
		w.t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var left int
		if err := w.env.DB.QueryRow(ctx, `SELECT count(*) FROM mail_outbox WHERE status IN ('queued', 'sending')`).Scan(&left); err != nil {
			w.t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%d mails still queued", left)
		}
	}
	w.documentID, w.modelID = doc.DocumentID, modelID
	w.markers = append(w.markers, rc.Reference, "他施設あて文書ZQY", "他施設だけの質問")
	w.storeHostile(`UPDATE inquiries SET name = left($1, 100), facility_code = $1 WHERE id = $2`, w.otherInquiry)
	w.storeHostile(`UPDATE inquiry_messages SET body = body || $1 WHERE inquiry_id = $2`, w.otherInquiry)
	w.storeHostile(`UPDATE inquiry_templates SET title = left($1, 100), body = $1 WHERE id = $2`, w.templateID)
	w.storeHostile(`UPDATE documents SET title = title || $1, filename = $1 WHERE id = $2`, w.documentID)
	w.storeHostile(`UPDATE facility_messages SET title = title || $1 WHERE document_id = $2`, w.documentID)
	w.storeHostile(`UPDATE broadcasts SET subject = subject || $1, body = $1, audience_label = $1 WHERE id = $2`, w.broadcastID)
}
