package facility_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"portal/internal/account"
	"portal/internal/facility"
	"portal/internal/mail"
	"portal/internal/operator"
)

func (w *world) detail(t *testing.T, f account.Facility) facility.Detail {
	t.Helper()
	d, err := w.svc.Detail(context.Background(), f.ID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (w *world) req(d facility.Detail, reason string) facility.Request {
	return facility.Request{Operator: w.op, FacilityID: d.Facility.ID, Version: d.Version, Reason: reason}
}

func (w *world) audit(t *testing.T, f account.Facility) []string {
	t.Helper()
	entries, err := operator.AuditEntries(context.Background(), w.db, operator.AuditQuery{TargetType: facility.TargetFacility, TargetID: f.ID})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append([]string{e.Action + " " + string(e.Detail)}, out...)
	}
	return out
}

func (w *world) mails(t *testing.T, to string) []mail.OutboxMail {
	t.Helper()
	page, err := mail.List(context.Background(), w.db, mail.ListQuery{Filter: mail.Filter{Address: to}})
	if err != nil {
		t.Fatal(err)
	}
	return page.Mails
}

func TestDetail(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.detail(t, w.a)
	if d.Account == nil || d.Account.Email != "Demo@Example.jp" || d.State() != facility.StateRegistered || d.LiveCredential() != nil {
		t.Fatalf("A: %+v", d)
	}
	b := w.detail(t, w.b)
	if b.Account != nil || b.State() != facility.StateLetter || b.LiveCredential() == nil || b.LiveCredential().LoginID != w.letter.LoginID {
		t.Fatalf("B: %+v", b)
	}
	if _, err := w.svc.Detail(context.Background(), 999999); !errors.Is(err, facility.ErrNotFound) {
		t.Fatalf("unknown facility: %v", err)
	}
}

// The lost letter: the credentials are deleted with who and why; the letter stops working;
// a second operator acting on the page they opened before is told what changed.
func TestDeleteProvisional(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	d := w.detail(t, w.b)
	var re *facility.ReasonError
	if err := w.svc.DeleteProvisional(ctx, w.req(d, "　")); !errors.As(err, &re) || re.Message != facility.MsgReasonRequired {
		t.Fatalf("no reason: %v", err)
	}
	if err := w.svc.DeleteProvisional(ctx, w.req(d, strings.Repeat("長", facility.MaxReason+1))); !errors.As(err, &re) {
		t.Fatalf("long reason: %v", err)
	}
	if err := w.svc.DeleteProvisional(ctx, w.req(d, "案内文書を紛失したとの電話")); err != nil {
		t.Fatal(err)
	}
	after := w.detail(t, w.b)
	c := after.Credentials[0]
	if after.LiveCredential() != nil || c.DeletedBy != "山田 担当" || c.DeleteReason != "案内文書を紛失したとの電話" || c.DeletedAt == nil {
		t.Fatalf("after delete: %+v", after.Credentials)
	}
	if _, err := account.SignIn(ctx, w.db, secret, w.letter.LoginID, w.letter.Password); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("deleted letter still signs in: %v", err)
	}
	// Another operator, on the page opened before the delete.
	var stale *facility.StaleError
	err := w.svc.DeleteProvisional(ctx, w.req(d, "同じ電話"))
	if !errors.As(err, &stale) || !strings.Contains(strings.Join(stale.Changes, "\n"), "仮メールアドレス・仮パスワードが削除されたか、使用されました。") ||
		!strings.Contains(strings.Join(stale.Changes, "\n"), "山田 担当さんが「仮メールアドレス・仮パスワードの削除」を行いました。") {
		t.Fatalf("stale page: %v", err)
	}
	// On the page as it is now, nothing is left to delete.
	if err := w.svc.DeleteProvisional(ctx, w.req(after, "同じ電話")); !errors.Is(err, facility.ErrNoCredential) {
		t.Fatalf("nothing to delete: %v", err)
	}
	if got := w.audit(t, w.b); len(got) != 1 || !strings.HasPrefix(got[0], facility.ActionDeleteProvisional) || !strings.Contains(got[0], "案内文書を紛失") {
		t.Fatalf("audit: %v", got)
	}
	// A version that is not one is refused too.
	bad := w.req(after, "x")
	bad.Version = "v1.' OR 1=1"
	if err := w.svc.DeleteProvisional(ctx, bad); !errors.As(err, &stale) || stale.Changes[0] != facility.MsgVersionUnknown {
		t.Fatalf("bad version: %v", err)
	}
}

// A パスワード等通知書: new one-time credentials for a facility with an account, the account's
// address told, and the forced edit then sets a new address and password.
func TestIssueNotice(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.svc.IssueNotice(ctx, w.req(w.detail(t, w.b), "メール不達")); !errors.Is(err, facility.ErrNoAccount) {
		t.Fatalf("notice without account: %v", err)
	}
	l, err := w.svc.IssueNotice(ctx, w.req(w.detail(t, w.a), "メールアドレス不明"))
	if err != nil || l.Password == "" || l.Kind != account.KindNotice || !strings.HasPrefix(l.LoginID, "11234567") {
		t.Fatalf("notice: %+v %v", l, err)
	}
	if m := w.mails(t, "Demo@Example.jp"); len(m) != 1 || m[0].Subject != "パスワード等通知書発行のお知らせ" || m[0].FacilityID != w.a.ID {
		t.Fatalf("mail: %+v", m)
	}
	p, err := account.SignIn(ctx, w.db, secret, l.LoginID, l.Password)
	if err != nil || !p.Provisional() || p.FacilityID != w.a.ID {
		t.Fatalf("notice sign-in: %+v %v", p, err)
	}
	// Issued again (the letter went astray): the first is replaced.
	again, err := w.svc.IssueNotice(ctx, w.req(w.detail(t, w.a), "再送付"))
	if err != nil || again.LoginID == l.LoginID {
		t.Fatalf("again: %+v %v", again, err)
	}
	if _, err := account.SignIn(ctx, w.db, secret, l.LoginID, l.Password); !errors.Is(err, account.ErrInvalidCredentials) {
		t.Fatalf("replaced notice still signs in: %v", err)
	}
	if _, err := w.svc.ReissueLetter(ctx, w.req(w.detail(t, w.a), "x")); !errors.Is(err, facility.ErrHasAccount) {
		t.Fatalf("letter for an account: %v", err)
	}
	letter, err := w.svc.ReissueLetter(ctx, w.req(w.detail(t, w.b), "案内文書の再送付"))
	if err != nil || letter.Kind != account.KindLetter || letter.LoginID == w.letter.LoginID {
		t.Fatalf("letter: %+v %v", letter, err)
	}
	rec := account.LetterRecord(letter)
	if rec[6] != letter.LoginID || rec[7] != letter.Password || rec[3] != "さくら薬局" {
		t.Fatalf("letter record %v", rec)
	}
}

func TestUnlockAndMails(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if err := w.svc.Unlock(ctx, w.req(w.detail(t, w.a), "")); !errors.Is(err, facility.ErrNotLocked) {
		t.Fatalf("not locked: %v", err)
	}
	for range account.MaxFailures {
		_, _ = account.SignIn(ctx, w.db, secret, "demo@example.jp", "wrong")
	}
	d := w.detail(t, w.a)
	if !d.Locked() || d.State() != facility.StateRegistered+"・"+facility.StateLocked {
		t.Fatalf("locked: %+v", d.Account)
	}
	if err := w.svc.Unlock(ctx, w.req(d, "本人確認済み")); err != nil {
		t.Fatal(err)
	}
	if w.detail(t, w.a).Locked() {
		t.Fatal("still locked")
	}
	if err := w.svc.SendPasswordReset(ctx, w.req(w.detail(t, w.a), "")); err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, m := range w.mails(t, "Demo@Example.jp") {
		subjects = append(subjects, m.Subject)
	}
	if strings.Join(subjects, ",") != "パスワード再設定用URLのご案内,ログイン停止解除のお知らせ" {
		t.Fatalf("mails %v", subjects)
	}
	if err := w.svc.SendPasswordReset(ctx, w.req(w.detail(t, w.b), "")); !errors.Is(err, facility.ErrNoAccount) {
		t.Fatalf("reset without account: %v", err)
	}
	if err := w.svc.SendRegistration(ctx, w.req(w.detail(t, w.b), ""), "not an address"); !errors.Is(err, facility.ErrBadEmail) {
		t.Fatalf("bad address: %v", err)
	}
	if err := w.svc.SendRegistration(ctx, w.req(w.detail(t, w.b), ""), "sakura@example.jp"); err != nil {
		t.Fatal(err)
	}
	if m := w.mails(t, "sakura@example.jp"); len(m) != 1 || m[0].Template != "register_url" || m[0].FacilityID != w.b.ID {
		t.Fatalf("registration mail %+v", m)
	}
	if err := w.svc.SendRegistration(ctx, w.req(w.detail(t, w.a), ""), "x@example.jp"); !errors.Is(err, facility.ErrHasAccount) {
		t.Fatalf("registration for an account: %v", err)
	}
	got := strings.Join(w.audit(t, w.a), "\n")
	for _, a := range []string{facility.ActionUnlock, facility.ActionResetMail} {
		if !strings.Contains(got, a) {
			t.Errorf("audit lacks %s: %s", a, got)
		}
	}
	// The facility page lists the account's mails though the account mails name no facility.
	if d := w.detail(t, w.a); len(d.Mails) != 2 || len(d.Audit) != 2 {
		t.Errorf("page: %d mails, %d audit entries", len(d.Mails), len(d.Audit))
	}
}
