package session_test

import (
	"context"
	"testing"
	"time"

	"portal/internal/pref"
	"portal/internal/session"
	"portal/internal/testdb"
	"portal/internal/testfixture"
)

// A session holding an account id brings the account and its facility back with its data
// (one query); one without an account brings only its data; an expired one nothing.
func TestFindBringsTheAccount(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	ap := testfixture.Facility(t, db, "7000001", pref.KindClinic)
	s := session.New(ctx, db, nil, 0)
	codec := session.Codec{}
	signedIn, _ := codec.Encode(time.Now().Add(time.Hour), map[string]any{session.KeyAccountID: ap.Account.ID, "seen_at": int64(1)})
	visitor, _ := codec.Encode(time.Now().Add(time.Hour), map[string]any{"register_token": "x"})
	if err := s.CommitCtx(ctx, "tok-a", signedIn, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitCtx(ctx, "tok-v", visitor, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.CommitCtx(ctx, "tok-old", signedIn, time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}

	c := session.Preload(ctx)
	b, ok, err := s.FindCtx(c, "tok-a")
	a, f, stamp, loaded := session.Loaded(c)
	if err != nil || !ok || len(b) == 0 || !loaded || a.ID != ap.Account.ID || f.ID != ap.Facility.ID || f.Name != ap.Facility.Name {
		t.Fatalf("signed-in session: %v %v %v %+v %+v", ok, err, loaded, a, f)
	}

	// The page stamp comes with the session, and moves when the facility's messages do.
	if _, err := db.Exec(ctx, `INSERT INTO facility_messages (facility_id, title, body) VALUES ($1, 'お知らせ', '本文')`, f.ID); err != nil {
		t.Fatal(err)
	}
	c = session.Preload(ctx)
	if _, _, err := s.FindCtx(c, "tok-a"); err != nil {
		t.Fatal(err)
	}
	if _, _, moved, _ := session.Loaded(c); moved.Facility == stamp.Facility || moved.Site != stamp.Site {
		t.Errorf("stamp after a message: %+v, before %+v", moved, stamp)
	}
	c = session.Preload(ctx)
	if b, ok, err := s.FindCtx(c, "tok-v"); err != nil || !ok || len(b) == 0 {
		t.Fatalf("visitor's session: %v %v", ok, err)
	}
	if _, _, _, loaded := session.Loaded(c); loaded {
		t.Error("a visitor's session brought an account")
	}
	if _, ok, err := s.FindCtx(session.Preload(ctx), "tok-old"); ok || err != nil {
		t.Errorf("expired session found: %v %v", ok, err)
	}
	if err := s.DeleteCtx(ctx, "tok-a"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.FindCtx(ctx, "tok-a"); ok {
		t.Error("deleted session found")
	}
}
