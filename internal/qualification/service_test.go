package qualification_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"portal/internal/application"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/pref"
	"portal/internal/qualification"
	"portal/internal/testdb"
	"portal/internal/testfixture"
)

func input() qualification.Input {
	return qualification.Input{LineType: qualification.LineIPVPN, Provider: "NTT西日本", CustomerID: "COP1234567890",
		StartYear: 2027, StartMonth: 4, TestYear: 2027, TestMonth: 3}
}

// TestSubmitApproveAndSendBack walks one application through its life: applied, applied
// again (nothing stored twice), changed, sent back with a reason, resubmitted, approved,
// then refused a change; every step in the history and every mail in the outbox.
func TestSubmitApproveAndSendBack(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	svc := qualification.NewService(db, "http://portal.test")
	svc.Now = func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, jp.Zone) }
	ap := testfixture.Facility(t, db, "1000001", pref.KindClinic)
	op, err := operator.ByID(ctx, db, testfixture.Operator(t, db, "op1"))
	if err != nil {
		t.Fatal(err)
	}

	rc, err := svc.Submit(ctx, ap, input())
	if err != nil || rc.Outcome != application.Created || rc.Reference != "QA261201-000001" {
		t.Fatalf("apply: %+v %v", rc, err)
	}
	if rc, err := svc.Submit(ctx, ap, input()); err != nil || rc.Outcome != application.Unchanged {
		t.Fatalf("same again: %+v %v", rc, err)
	}
	changed := input()
	changed.TestYear, changed.TestMonth = 0, 0
	if rc, err := svc.Submit(ctx, ap, changed); err != nil || rc.Outcome != application.Changed {
		t.Fatalf("change: %+v %v", rc, err)
	}
	a, err := svc.Current(ctx, ap.Facility.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SendBack(ctx, op, a.ID, "お客さまIDが回線契約と一致しません。"); err != nil {
		t.Fatal(err)
	}
	if err := svc.SendBack(ctx, op, a.ID, "again"); !errors.Is(err, application.ErrNotAllowed) {
		t.Fatalf("send back twice: %v", err)
	}
	if err := svc.Approve(ctx, op, a.ID); !errors.Is(err, application.ErrNotAllowed) {
		t.Fatalf("approve a sent-back one: %v", err)
	}
	if rc, err := svc.Submit(ctx, ap, changed); err != nil || rc.Outcome != application.Resubmitted {
		t.Fatalf("resubmit unchanged content: %+v %v", rc, err)
	}
	if err := svc.Approve(ctx, op, a.ID); err != nil {
		t.Fatal(err)
	}
	if ok, err := svc.Approved(ctx, ap.Facility.ID); !ok || err != nil {
		t.Fatalf("approved: %v %v", ok, err)
	}
	var closed *application.ClosedError
	if _, err := svc.Submit(ctx, ap, input()); !errors.As(err, &closed) {
		t.Fatalf("change after approval: %v", err)
	}
	if err := svc.Approve(ctx, op, 999999); !errors.Is(err, application.ErrNotFound) {
		t.Fatalf("approve unknown: %v", err)
	}

	var actions []string
	d, err := svc.Detail(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range d.History {
		actions = append(actions, e.Action+"/"+e.Who())
	}
	want := []string{"申請/医療機関等", "変更/医療機関等", "差戻し/コールセンター（op1さん）", "再申請/医療機関等", "承認/コールセンター（op1さん）"}
	if len(actions) != len(want) {
		t.Fatalf("history %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Errorf("history[%d] = %s, want %s", i, actions[i], want[i])
		}
	}
	rows, err := db.Query(ctx, `SELECT template FROM mail_outbox WHERE to_addr = $1 ORDER BY id`, ap.Account.Email)
	if err != nil {
		t.Fatal(err)
	}
	var templates []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		templates = append(templates, s)
	}
	wantMails := []string{"qualification_applied", "qualification_changed", "qualification_returned", "qualification_resubmitted", "qualification_approved"}
	if len(templates) != len(wantMails) {
		t.Fatalf("mails %v, want %v", templates, wantMails)
	}
	for i := range wantMails {
		if templates[i] != wantMails[i] {
			t.Errorf("mail[%d] = %s, want %s", i, templates[i], wantMails[i])
		}
	}
	var audits int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'qualification.%' AND operator_id = $1`, op.ID).Scan(&audits); err != nil || audits != 2 {
		t.Errorf("audit entries %d %v, want 2", audits, err)
	}
}

// TestDoubleSubmitStoresOnce sends the same new application from two requests at once: one
// application, one mail.
func TestDoubleSubmitStoresOnce(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	svc := qualification.NewService(db, "http://portal.test")
	svc.Now = func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, jp.Zone) }
	ap := testfixture.Facility(t, db, "1000002", pref.KindHospital)
	var wg sync.WaitGroup
	outcomes := make(chan application.Outcome, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc, err := svc.Submit(ctx, ap, input())
			if err != nil {
				t.Error(err)
			}
			outcomes <- rc.Outcome
		}()
	}
	wg.Wait()
	close(outcomes)
	created := 0
	for o := range outcomes {
		if o == application.Created {
			created++
		}
	}
	var apps, sent int
	_ = db.QueryRow(ctx, `SELECT count(*) FROM qualification_applications`).Scan(&apps)
	_ = db.QueryRow(ctx, `SELECT count(*) FROM mail_outbox`).Scan(&sent)
	if created != 1 || apps != 1 || sent != 1 {
		t.Errorf("created %d, applications %d, mails %d; want 1 each", created, apps, sent)
	}
}

// TestReferenceCarriesTheJSTDate: an application made at 00:30 JST (15:30 UTC the day
// before) carries the Japanese date.
func TestReferenceCarriesTheJSTDate(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	svc := qualification.NewService(db, "http://portal.test")
	svc.Now = func() time.Time { return time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC) }
	ap := testfixture.Facility(t, db, "1000003", pref.KindPharmacy)
	rc, err := svc.Submit(context.Background(), ap, input())
	if err != nil || rc.Reference[:8] != "QA261201" {
		t.Fatalf("reference %q %v, want QA261201-…", rc.Reference, err)
	}
}
