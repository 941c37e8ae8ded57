package migrations_test

import (
	"context"
	"testing"
	"time"

	"portal/internal/pref"
	"portal/internal/testdb"
	"portal/internal/testfixture"
)

// TestPageStampsMoveWithWhatFacilityPagesShow writes the rows a facility's pages show the
// way any writer would (plain SQL, no domain code) and expects the facility's page stamp to
// move each time, another facility's to stay, and the site's stamp to move for the catalog
// and for a statement that touches more than 1,000 facilities: the page cache serves a
// rendering only while its stamp holds (internal/web/site/pagecache.go).
func TestPageStampsMoveWithWhatFacilityPagesShow(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	ap := testfixture.Facility(t, db, "3100001", pref.KindClinic)
	other := testfixture.Facility(t, db, "3100002", pref.KindClinic)
	stamp := func(facility int64) int64 {
		t.Helper()
		var s int64
		if err := db.QueryRow(ctx, `SELECT coalesce((SELECT stamp FROM page_stamps WHERE facility_id = $1), 0)`, facility).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	moves := func(what string, facility int64, sql string, args ...any) {
		t.Helper()
		before, site, others := stamp(facility), stamp(0), stamp(other.Facility.ID)
		if _, err := db.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if stamp(facility) == before {
			t.Errorf("%s: stamp of %d stayed %d", what, facility, before)
		}
		if facility != 0 && (stamp(0) != site || stamp(other.Facility.ID) != others) {
			t.Errorf("%s: moved the site's or another facility's stamp", what)
		}
	}
	f := ap.Facility.ID

	moves("a message", f, `INSERT INTO facility_messages (facility_id, title, body) VALUES ($1, 't', 'b')`, f)
	moves("a message read", f, `UPDATE facility_messages SET read_at = now() WHERE facility_id = $1`, f)
	moves("a message deleted", f, `DELETE FROM facility_messages WHERE facility_id = $1`, f)

	var inquiry int64
	if err := db.QueryRow(ctx, `INSERT INTO inquiries (reference, channel, category, facility_id, name, email)
		VALUES ('IQ-T1', 'form', 'その他', $1, '山田', 'a@example.jp') RETURNING id`, f).Scan(&inquiry); err != nil {
		t.Fatal(err)
	}
	// Rows that belong to the facility through their parent.
	moves("an inquiry's reply", f, `INSERT INTO inquiry_messages (inquiry_id, kind, body) VALUES ($1, 'reply', '返信')`, inquiry)
	moves("an inquiry's status", f, `UPDATE inquiries SET status = '対応中' WHERE id = $1`, inquiry)

	// What every facility's pages show moves the site's stamp.
	moves("a catalog model", 0, `INSERT INTO card_reader_models (maker, product) VALUES ('m', 'p')`)

	// A statement about more than 1,000 facilities moves the site's stamp and locks no
	// facility's row.
	if _, err := db.Exec(ctx, `INSERT INTO facilities (prefecture_code, score_table_code, code, kind, name, founder_name,
		postal_code, address, phone)
		SELECT 13, 1, '9' || lpad(g::text, 6, '0'), '診療所', 'F' || g, '開設者', '1000013', '東京都千代田区', '03-0000-0000'
		FROM generate_series(1, 1001) g`); err != nil {
		t.Fatal(err)
	}
	var rows int
	before := stamp(0)
	if err := db.QueryRow(ctx, `WITH m AS (INSERT INTO facility_messages (facility_id, title, body)
		SELECT id, 't', 'b' FROM facilities WHERE name LIKE 'F%' RETURNING 1) SELECT count(*) FROM m`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	var stamped int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM page_stamps p JOIN facilities f ON f.id = p.facility_id WHERE f.name LIKE 'F%'`).Scan(&stamped); err != nil {
		t.Fatal(err)
	}
	if rows != 1001 || stamp(0) == before || stamped != 0 {
		t.Errorf("a message to %d facilities: site stamp %d → %d, %d facilities' stamps written", rows, before, stamp(0), stamped)
	}
}

// TestEveryFacilityTableKeepsPageStamps holds tables added later to the rule: a table whose
// rows belong to a facility (a facility_id column, or a parent's id) has the page stamp's
// triggers, or is named here with why facility pages never show it. Without the triggers a
// change to it would leave cached pages showing what was.
func TestEveryFacilityTableKeepsPageStamps(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	notShown := map[string]string{
		"accounts":                "read with the session itself, compared field by field",
		"mail_outbox":             "mails are not shown on facility pages",
		"provisional_credentials": "shown to operators only",
		"page_stamps":             "the stamps themselves",
	}
	rows, err := db.Query(context.Background(), `
		SELECT c.table_name,
			EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass AND g.tgname = c.table_name || '_stamp_ins' AND g.tgenabled <> 'D'),
			EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass AND g.tgname = c.table_name || '_stamp_upd' AND g.tgenabled <> 'D'),
			EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass AND g.tgname = c.table_name || '_stamp_del' AND g.tgenabled <> 'D'),
			EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.table_name::regclass AND g.tgname = c.table_name || '_stamp_truncate' AND g.tgenabled <> 'D')
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND (c.column_name = 'facility_id'
			OR (c.table_name, c.column_name) IN (SELECT kc.table_name, kc.column_name
				FROM information_schema.referential_constraints rc
				JOIN information_schema.key_column_usage kc ON kc.constraint_name = rc.constraint_name AND kc.table_schema = 'public'
				JOIN information_schema.constraint_column_usage pc ON pc.constraint_name = rc.unique_constraint_name
				WHERE pc.table_name IN ('cardreader_applications', 'inquiries', 'certificate_applications', 'qualification_applications')))
		GROUP BY c.table_name ORDER BY c.table_name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var table string
		var ins, upd, del, truncate bool
		if err := rows.Scan(&table, &ins, &upd, &del, &truncate); err != nil {
			t.Fatal(err)
		}
		n++
		if _, ok := notShown[table]; ok {
			continue
		}
		if !ins || !upd || !del || !truncate {
			t.Errorf("%s belongs to a facility but lacks enabled page stamp triggers (insert %v, update %v, delete %v, truncate %v): add it to a migration like 00024, or to notShown with why",
				table, ins, upd, del, truncate)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("found only %d facility tables: the query misses some", n)
	}
}

// TestPageStampsLockNothingBeforeCommit runs an operator's step on a certificate (the
// certificate updated, then an event about its facility) against the facility's own
// submit (its facility row locked first, then a new application) interleaved the one way
// that deadlocked when the stamps moved at the write: the operator's UPDATE took the
// stamp's row, the submit waited for it while the operator's event waited for the
// facility's row. Moved at commit, both finish.
func TestPageStampsLockNothingBeforeCommit(t *testing.T) {
	t.Parallel()
	db := testdb.New(t)
	ctx := context.Background()
	ap := testfixture.Facility(t, db, "3100003", pref.KindClinic)
	f, a := ap.Facility.ID, ap.Account.ID
	var certApp, cert int64
	if err := db.QueryRow(ctx, `INSERT INTO certificate_applications (reference, facility_id, account_id) VALUES ('EC-D1', $1, $2) RETURNING id`, f, a).Scan(&certApp); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO certificates (application_id, facility_id, purpose, name, status)
		VALUES ($1, $2, '資格確認端末', '受付1', '申請中') RETURNING id`, certApp, f).Scan(&cert); err != nil {
		t.Fatal(err)
	}
	var before int64
	if err := db.QueryRow(ctx, `SELECT stamp FROM page_stamps WHERE facility_id = $1`, f).Scan(&before); err != nil {
		t.Fatal(err)
	}

	operator, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer operator.Rollback(ctx)
	facility, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer facility.Rollback(ctx)
	if _, err := operator.Exec(ctx, `UPDATE certificates SET status = '発行済', issued_at = now() WHERE id = $1`, cert); err != nil {
		t.Fatal(err)
	}
	if _, err := facility.Exec(ctx, `SELECT 1 FROM facilities WHERE id = $1 FOR UPDATE`, f); err != nil {
		t.Fatal(err)
	}
	event := make(chan error, 1)
	go func() { // waits for the facility's row until the submit commits
		_, err := operator.Exec(ctx, `INSERT INTO application_events (kind, application_id, facility_id, reference, actor, actor_id, action)
			VALUES ('certificate', $1, $2, 'EC-D1', 'operator', 1, '発行')`, certApp, f)
		event <- err
	}()
	time.Sleep(100 * time.Millisecond) // let the event reach its wait
	submit, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := facility.Exec(submit, `INSERT INTO certificate_applications (reference, facility_id, account_id) VALUES ('EC-D2', $1, $2)`, f, a); err != nil {
		t.Fatalf("the submit waited for the operator's step: %v", err)
	}
	if err := facility.Commit(ctx); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if err := <-event; err != nil {
		t.Fatalf("the operator's event: %v", err)
	}
	if err := operator.Commit(ctx); err != nil {
		t.Fatalf("the operator's step: %v", err)
	}
	var after, pending int64
	if err := db.QueryRow(ctx, `SELECT (SELECT stamp FROM page_stamps WHERE facility_id = $1), (SELECT count(*) FROM page_stamp_pending)`, f).Scan(&after, &pending); err != nil {
		t.Fatal(err)
	}
	if after == before || pending != 0 {
		t.Errorf("after both: stamp %d → %d, %d notes left", before, after, pending)
	}
}
