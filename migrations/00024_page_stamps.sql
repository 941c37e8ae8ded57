-- +goose Up
-- Page stamps: a number that changes whenever anything a signed-in facility's pages show
-- changes, read with the session in the same query (internal/session), so that a page
-- rendered once is served again for as long as its stamp holds (internal/web/site's page
-- cache) on every instance alike. Row 0 is the site's stamp: what every facility's pages
-- show (the card reader catalog, documents, operators' names).
--
-- The stamps are kept by triggers, so that no writer (a facility's step, an operator's,
-- a batch job, a migration) can forget them. A statement trigger notes which facilities a
-- statement touched (page_stamp_pending); a deferred trigger moves their stamps when the
-- transaction commits. At commit, not at the write: a stamp's row is locked until commit,
-- and a lock taken last, in the order of the facilities' ids, never waits in a cycle with
-- the locks the transaction took before (a facility's submit holds its facility row while
-- an operator's step on one of its certificates waits for it). A statement that touches more
-- than 1,000 facilities (a document to an audience of thousands, a fill) moves the site's
-- stamp instead, so that it locks one row rather than every facility's; so does TRUNCATE.
CREATE SEQUENCE page_stamp_seq;

CREATE TABLE page_stamps (
    facility_id BIGINT PRIMARY KEY, -- 0: the site's stamp; no foreign key, for that row
    stamp       BIGINT NOT NULL
);

-- The facilities whose stamps move when the writing transaction commits, one row per
-- statement that noted some. Its rows never outlive their transaction: page_stamps_flush
-- deletes them at commit.
CREATE TABLE page_stamp_pending (
    facility_ids BIGINT[] NOT NULL
);

-- page_stamps_note notes ids (or the site, for more than 1,000) for the commit.
-- +goose StatementBegin
CREATE FUNCTION page_stamps_note(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO page_stamp_pending (facility_ids)
    SELECT CASE WHEN cardinality(ids) > 1000 THEN ARRAY[0::BIGINT] ELSE ids END WHERE ids IS NOT NULL
$$;
-- +goose StatementEnd

-- page_stamps_flush runs at commit, once per noting statement: the first run of a
-- transaction moves every stamp it noted (in id order) and deletes the notes, the others
-- find none.
-- +goose StatementBegin
CREATE FUNCTION page_stamps_flush() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids BIGINT[];
BEGIN
    WITH done AS (DELETE FROM page_stamp_pending RETURNING facility_ids)
    SELECT array_agg(DISTINCT id) INTO ids FROM done, unnest(done.facility_ids) AS id;
    IF ids IS NOT NULL THEN
        -- The notes were limited per statement; here every id is moved, the site too.
        INSERT INTO page_stamps (facility_id, stamp)
        SELECT id, nextval('page_stamp_seq') FROM unnest(ids) AS id ORDER BY id
        ON CONFLICT (facility_id) DO UPDATE SET stamp = EXCLUDED.stamp;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE CONSTRAINT TRIGGER page_stamp_pending_flush AFTER INSERT ON page_stamp_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_stamps_flush();

-- page_stamps_bump is the statement trigger of a table whose rows belong to a facility:
-- without arguments the rows carry facility_id; with (parent, column) they carry the id of
-- a parent row that does (cardreader_application_items.application_id → its application).
-- The changed rows are the transition tables new_rows and old_rows.
-- +goose StatementBegin
CREATE FUNCTION page_stamps_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TEXT;
    ids     BIGINT[];
BEGIN
    changed := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT * FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT * FROM old_rows'
        ELSE 'SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows' END;
    IF TG_NARGS = 0 THEN
        EXECUTE format('SELECT array_agg(DISTINCT facility_id) FROM (%s) r WHERE facility_id IS NOT NULL', changed) INTO ids;
    ELSE
        EXECUTE format('SELECT array_agg(DISTINCT p.facility_id) FROM %I p WHERE p.facility_id IS NOT NULL AND p.id IN (SELECT %I FROM (%s) r)',
            TG_ARGV[0], TG_ARGV[1], changed) INTO ids;
    END IF;
    PERFORM page_stamps_note(ids);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION page_stamps_bump_site() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM page_stamps_note(ARRAY[0::BIGINT]);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t    TEXT[];
    args TEXT;
BEGIN
    -- table, and for rows that belong to a facility through a parent: parent, column
    FOREACH t SLICE 1 IN ARRAY ARRAY[
        ['cardreader_applications', '', ''],
        ['cardreader_application_items', 'cardreader_applications', 'application_id'],
        ['qualification_applications', '', ''],
        ['certificate_applications', '', ''],
        ['certificates', '', ''],
        ['application_events', '', ''],
        ['facility_messages', '', ''],
        ['inquiries', '', ''],
        ['inquiry_messages', 'inquiries', 'inquiry_id'],
        ['inquiry_attachments', 'inquiries', 'inquiry_id']
    ] LOOP
        args := CASE WHEN t[2] = '' THEN '' ELSE quote_literal(t[2]) || ', ' || quote_literal(t[3]) END;
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump(%s)', t[1] || '_stamp_ins', t[1], args);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump(%s)', t[1] || '_stamp_upd', t[1], args);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump(%s)', t[1] || '_stamp_del', t[1], args);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
            FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump_site()', t[1] || '_stamp_truncate', t[1]);
    END LOOP;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER card_reader_models_stamp AFTER INSERT OR UPDATE OR DELETE ON card_reader_models
    FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump_site();
-- Facility pages show a document's file name and size; a send updates its count of
-- recipients, which they do not show.
CREATE TRIGGER documents_stamp AFTER UPDATE OF filename, size OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump_site();
CREATE TRIGGER operators_stamp AFTER UPDATE OF name OR DELETE ON operators
    FOR EACH STATEMENT EXECUTE FUNCTION page_stamps_bump_site();

-- +goose Down
DROP TRIGGER operators_stamp ON operators;
DROP TRIGGER documents_stamp ON documents;
DROP TRIGGER card_reader_models_stamp ON card_reader_models;
-- +goose StatementBegin
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['cardreader_applications', 'cardreader_application_items', 'qualification_applications',
        'certificate_applications', 'certificates', 'application_events', 'facility_messages', 'inquiries',
        'inquiry_messages', 'inquiry_attachments'] LOOP
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_stamp_ins', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_stamp_upd', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_stamp_del', t);
        EXECUTE format('DROP TRIGGER %I ON %I', t || '_stamp_truncate', t);
    END LOOP;
END
$$;
-- +goose StatementEnd
DROP TRIGGER page_stamp_pending_flush ON page_stamp_pending;
DROP FUNCTION page_stamps_bump_site();
DROP FUNCTION page_stamps_bump();
DROP FUNCTION page_stamps_flush();
DROP FUNCTION page_stamps_note(BIGINT[]);
DROP TABLE page_stamp_pending;
DROP TABLE page_stamps;
DROP SEQUENCE page_stamp_seq;
