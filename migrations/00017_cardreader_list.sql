-- +goose Up
-- 申請処理（顔認証付きカードリーダー） at full volume (150,000 applications): every offered
-- sort and filter is a range of one index, paged by keyset, so the first and the last page
-- cost the same. Sorting or filtering by the facility's code, name or kind through a join
-- cannot use one index, so the application keeps a copy of them, filled on insert and kept
-- in step with the facility master by triggers.
ALTER TABLE cardreader_applications
    ADD COLUMN facility_code   TEXT,
    ADD COLUMN facility_name   TEXT,
    ADD COLUMN facility_kind   TEXT,
    ADD COLUMN prefecture_code SMALLINT;

UPDATE cardreader_applications a
SET facility_code = lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code,
    facility_name = f.name, facility_kind = f.kind, prefecture_code = f.prefecture_code
FROM facilities f WHERE f.id = a.facility_id;

ALTER TABLE cardreader_applications
    ALTER COLUMN facility_code SET NOT NULL,
    ALTER COLUMN facility_name SET NOT NULL,
    ALTER COLUMN facility_kind SET NOT NULL,
    ALTER COLUMN prefecture_code SET NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION cardreader_copy_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT lpad(f.prefecture_code::text, 2, '0') || f.score_table_code || f.code, f.name, f.kind, f.prefecture_code
    INTO NEW.facility_code, NEW.facility_name, NEW.facility_kind, NEW.prefecture_code
    FROM facilities f WHERE f.id = NEW.facility_id;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER cardreader_copy_facility BEFORE INSERT OR UPDATE OF facility_id ON cardreader_applications
    FOR EACH ROW EXECUTE FUNCTION cardreader_copy_facility();

-- +goose StatementBegin
CREATE FUNCTION cardreader_follow_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cardreader_applications
    SET facility_code = lpad(NEW.prefecture_code::text, 2, '0') || NEW.score_table_code || NEW.code,
        facility_name = NEW.name, facility_kind = NEW.kind, prefecture_code = NEW.prefecture_code
    WHERE facility_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
-- The WHEN clause keeps a master import that changes nothing of these from touching the
-- applications at all.
CREATE TRIGGER cardreader_follow_facility AFTER UPDATE OF prefecture_code, score_table_code, code, name, kind ON facilities
    FOR EACH ROW WHEN ((OLD.prefecture_code, OLD.score_table_code, OLD.code, OLD.name, OLD.kind)
        IS DISTINCT FROM (NEW.prefecture_code, NEW.score_table_code, NEW.code, NEW.name, NEW.kind))
    EXECUTE FUNCTION cardreader_follow_facility();

-- One index per offered sort, alone and after the status filter (the operators' daily
-- view: 受付済, oldest first). The delivery date sorts with the undecided last.
DROP INDEX cardreader_applications_status_idx;
CREATE INDEX cardreader_applications_created_idx ON cardreader_applications (created_at, id);
CREATE INDEX cardreader_applications_status_created_idx ON cardreader_applications (status, created_at, id);
CREATE INDEX cardreader_applications_delivery_idx ON cardreader_applications ((coalesce(delivery_date, DATE '9999-12-31')), id);
CREATE INDEX cardreader_applications_status_delivery_idx ON cardreader_applications (status, (coalesce(delivery_date, DATE '9999-12-31')), id);
CREATE INDEX cardreader_applications_code_idx ON cardreader_applications (facility_code, id);
CREATE INDEX cardreader_applications_status_code_idx ON cardreader_applications (status, facility_code, id);
CREATE INDEX cardreader_applications_pref_created_idx ON cardreader_applications (prefecture_code, created_at, id);
-- 病院 are 3 % of the applications: without this, counting the first 1,001 of them reads
-- 30,000 rows.
CREATE INDEX cardreader_applications_kind_created_idx ON cardreader_applications (facility_kind, created_at, id);
-- The search by a 7-digit 医療機関等コード (the 10-digit one uses the code index).
CREATE INDEX cardreader_applications_code7_idx ON cardreader_applications ((substr(facility_code, 4)));

-- The search by a part of the facility's name. pg_trgm indexes only what the database's
-- locale calls letters and digits, which under the C locale (the development cluster's,
-- and common in production) leaves Japanese out altogether. name_search_key spells each
-- character of the lower-cased name as three base-36 digits of its code point
-- (「クリ」→ 9m79nu), which pg_trgm indexes under any locale: a trigram is then one
-- character, or two neighbouring ones, and a part of a name spelled the same way is a part
-- of the key. Code points 46,656 apart share a spelling and a part may match across a
-- character boundary, so the search asks the key (through the index) and then the name
-- itself (ILIKE): the key only narrows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- +goose StatementBegin
CREATE FUNCTION name_search_key(name text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(substr(d, ascii(c) / 1296 % 36 + 1, 1) || substr(d, ascii(c) / 36 % 36 + 1, 1)
        || substr(d, ascii(c) % 36 + 1, 1), '' ORDER BY n), '')
    FROM unnest(string_to_array(lower(name), NULL)) WITH ORDINALITY AS t(c, n),
         (SELECT '0123456789abcdefghijklmnopqrstuvwxyz' AS d) digits
$$;
-- +goose StatementEnd
ALTER TABLE cardreader_applications
    ADD COLUMN facility_name_key TEXT GENERATED ALWAYS AS (name_search_key(facility_name)) STORED;
CREATE INDEX cardreader_applications_name_key_idx ON cardreader_applications USING gin (facility_name_key gin_trgm_ops);

-- +goose Down
DROP INDEX cardreader_applications_name_key_idx;
ALTER TABLE cardreader_applications DROP COLUMN facility_name_key;
DROP FUNCTION name_search_key(text);
DROP INDEX cardreader_applications_code7_idx;
DROP INDEX cardreader_applications_kind_created_idx;
DROP INDEX cardreader_applications_pref_created_idx;
DROP INDEX cardreader_applications_status_code_idx;
DROP INDEX cardreader_applications_code_idx;
DROP INDEX cardreader_applications_status_delivery_idx;
DROP INDEX cardreader_applications_delivery_idx;
DROP INDEX cardreader_applications_status_created_idx;
DROP INDEX cardreader_applications_created_idx;
CREATE INDEX cardreader_applications_status_idx ON cardreader_applications (status, id);
DROP TRIGGER cardreader_follow_facility ON facilities;
DROP FUNCTION cardreader_follow_facility();
DROP TRIGGER cardreader_copy_facility ON cardreader_applications;
DROP FUNCTION cardreader_copy_facility();
ALTER TABLE cardreader_applications
    DROP COLUMN prefecture_code,
    DROP COLUMN facility_kind,
    DROP COLUMN facility_name,
    DROP COLUMN facility_code;
