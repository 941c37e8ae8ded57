package certificate_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"portal/internal/application"
	"portal/internal/certificate"
	"portal/internal/jp"
	"portal/internal/operator"
	"portal/internal/pref"
	"portal/internal/qualification"
	"portal/internal/testdb"
	"portal/internal/testfixture"
)

func reqs(names ...string) certificate.Input {
	var in certificate.Input
	for i, n := range names {
		in.Requests = append(in.Requests, certificate.Request{Purpose: certificate.Purposes[i%3], Name: n})
	}
	return in
}

// TestCertificateLife: closed until the 利用申請 is approved; three asked for at once (a
// double submit stores nothing twice); one cancelled, two issued, one asked to be revoked
// and revoked; another facility reaches none of them, whatever id it sends.
func TestCertificateLife(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	svc := certificate.NewService(db, "http://portal.test")
	quals := qualification.NewService(db, "http://portal.test")
	quals.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, jp.Zone) }
	ap := testfixture.Facility(t, db, "2000001", pref.KindHospital)
	other := testfixture.Facility(t, db, "2000002", pref.KindClinic)
	op, _ := operator.ByID(ctx, db, testfixture.Operator(t, db, "op2"))

	var closed *application.ClosedError
	if _, err := svc.Submit(ctx, ap, reqs("受付端末1")); !errors.As(err, &closed) || !strings.Contains(closed.Message, "利用申請が承認された後") {
		t.Fatalf("before the 利用申請: %v", err)
	}
	if _, err := quals.Submit(ctx, ap, qualification.Input{LineType: qualification.LineIPsec, Provider: "富士通株式会社", StartYear: 2027, StartMonth: 1}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := svc.Open(ctx, ap.Facility.ID); ok {
		t.Fatal("open before approval")
	}
	q, _ := quals.Current(ctx, ap.Facility.ID)
	if err := quals.Approve(ctx, op, q.ID); err != nil {
		t.Fatal(err)
	}

	in := reqs("受付端末1", "診察室PC", "事務PC")
	rc, err := svc.Submit(ctx, ap, in)
	if err != nil || rc.Outcome != application.Created || !strings.HasPrefix(rc.Reference, "EC") {
		t.Fatalf("apply: %+v %v", rc, err)
	}
	if again, err := svc.Submit(ctx, ap, in); err != nil || again.Outcome != application.Unchanged || again.Reference != rc.Reference {
		t.Fatalf("double submit: %+v %v", again, err)
	}
	var invalid *application.InvalidError
	if _, err := svc.Submit(ctx, ap, reqs("新PC", "受付端末1")); !errors.As(err, &invalid) || invalid.Errors[certificate.FieldName(2)] == "" {
		t.Fatalf("a name in use: %v", err)
	}
	certs, err := svc.List(ctx, ap.Facility.ID)
	if err != nil || len(certs) != 3 {
		t.Fatalf("list: %d %v", len(certs), err)
	}
	byName := map[string]certificate.Certificate{}
	for _, c := range certs {
		byName[c.Name] = c
	}
	cancelled := byName["事務PC"]
	// An applicant without a facility id is nobody's, not the operators' "any facility".
	nobody := other
	nobody.Facility.ID = 0
	for _, id := range []int64{cancelled.ID, 0, -1, 1 << 40} {
		if _, err := svc.Cancel(ctx, other, id); !errors.Is(err, application.ErrNotFound) {
			t.Errorf("another facility cancels %d: %v", id, err)
		}
		if _, err := svc.Cancel(ctx, nobody, id); !errors.Is(err, application.ErrNotFound) {
			t.Errorf("an applicant without a facility cancels %d: %v", id, err)
		}
		if _, err := svc.Get(ctx, other.Facility.ID, id); !errors.Is(err, application.ErrNotFound) {
			t.Errorf("another facility reads %d: %v", id, err)
		}
	}
	if _, err := svc.Cancel(ctx, ap, cancelled.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Cancel(ctx, ap, cancelled.ID); !errors.Is(err, application.ErrNotAllowed) {
		t.Fatalf("cancel twice: %v", err)
	}
	for _, n := range []string{"受付端末1", "診察室PC"} {
		if err := svc.Issue(ctx, op, byName[n].ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.Issue(ctx, op, cancelled.ID); !errors.Is(err, application.ErrNotAllowed) {
		t.Fatalf("issue a cancelled one: %v", err)
	}
	if _, err := svc.RequestRevoke(ctx, ap, byName["受付端末1"].ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Revoke(ctx, op, byName["受付端末1"].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RequestRevoke(ctx, ap, byName["受付端末1"].ID); !errors.Is(err, application.ErrNotAllowed) {
		t.Fatalf("a revoked certificate revoked again: %v", err)
	}
	if err := svc.Revoke(ctx, op, byName["受付端末1"].ID); !errors.Is(err, application.ErrNotAllowed) {
		t.Fatalf("operator revokes twice: %v", err)
	}
	// The name of a revoked certificate may be used again.
	if _, err := svc.Submit(ctx, ap, reqs("受付端末1")); err != nil {
		t.Fatalf("reuse a revoked name: %v", err)
	}

	rows, err := db.Query(ctx, `SELECT template FROM mail_outbox WHERE to_addr = $1 AND template LIKE 'certificate_%' ORDER BY id`, ap.Account.Email)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		got = append(got, s)
	}
	want := "certificate_applied certificate_cancelled certificate_issued certificate_issued certificate_revoke_requested certificate_revoked certificate_applied"
	if strings.Join(got, " ") != want {
		t.Errorf("mails:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	ov, err := svc.Overview(ctx, ap.Facility)
	if err != nil || ov.State != application.InProgress {
		t.Errorf("overview %+v %v", ov, err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("あ", certificate.MaxName+1)
	for _, tc := range []struct {
		name  string
		in    certificate.Input
		live  []string
		field string
	}{
		{"one", reqs("受付端末1"), nil, ""},
		{"nothing", certificate.Input{Requests: make([]certificate.Request, 3)}, nil, certificate.FieldPurpose(1)},
		{"no purpose", certificate.Input{Requests: []certificate.Request{{Name: "PC"}}}, nil, certificate.FieldPurpose(1)},
		{"unknown purpose", certificate.Input{Requests: []certificate.Request{{Purpose: "ゲーム用", Name: "PC"}}}, nil, certificate.FieldPurpose(1)},
		{"no name", certificate.Input{Requests: []certificate.Request{{Purpose: "閲覧用端末"}}}, nil, certificate.FieldName(1)},
		{"long name", reqs(long), nil, certificate.FieldName(1)},
		{"same name twice", reqs("PC", "PC"), nil, certificate.FieldName(2)},
		{"name in use", reqs("PC"), []string{"PC"}, certificate.FieldName(1)},
		{"too many live", reqs("PC"), make([]string, certificate.MaxLive), certificate.FieldName(1)},
		{"too many rows", certificate.Input{Requests: make([]certificate.Request, certificate.Rows+1)}, nil, certificate.FieldName(1)},
	} {
		errs := certificate.Validate(tc.in, tc.live)
		switch {
		case tc.field == "" && !errs.Valid():
			t.Errorf("%s: refused %v", tc.name, errs)
		case tc.field != "" && errs[tc.field] == "":
			t.Errorf("%s: no error on %s (%v)", tc.name, tc.field, errs)
		}
	}
}
