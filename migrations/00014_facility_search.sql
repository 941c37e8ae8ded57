-- +goose Up
-- 施設検索 (the back office's landing page): one box that finds a facility by code, name,
-- phone, e-mail address or 申込番号, fast on 250,000 facilities (internal/facility).

-- portal_fold is how names are compared: NFKC (full-width letters and digits to ASCII,
-- half-width katakana to full-width with their voiced marks), ASCII lower case, no spaces or
-- middle dots, hiragana to katakana, and a few variant kanji people mix up on the phone to
-- their common form. internal/facility.Fold is the same in Go (a test holds them together).
-- translate() walks its whole table for every character, so it runs only on names that hold
-- a character to map (most are kanji and katakana): 250,000 names fold in about a second
-- instead of eight. The table is built here from the code points, not typed out.
-- +goose StatementBegin
DO $do$
DECLARE
    src text := '';
    dst text := '';
BEGIN
    FOR i IN 12353..12438 LOOP -- ぁ … ゖ, each 0x60 below its katakana
        src := src || chr(i);
        dst := dst || CASE chr(i + 96) WHEN 'ヵ' THEN 'カ' WHEN 'ヶ' THEN 'ケ' ELSE chr(i + 96) END;
    END LOOP;
    src := src || 'ゝゞヵヶ髙﨑嶋邊邉濵濱澤齋齊';
    dst := dst || 'ヽヾカケ高崎島辺辺浜浜沢斎斉';
    EXECUTE format($f$CREATE FUNCTION portal_fold(t text) RETURNS text
        LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $body$
        DECLARE
            s text := replace(replace(lower(normalize(t, NFKC)), ' ', ''), '・', '');
        BEGIN
            IF s ~ '[ぁ-ゖゝゞヵヶ髙﨑嶋邊邉濵濱澤齋齊]' THEN
                RETURN translate(s, %L, %L);
            END IF;
            RETURN s;
        END
        $body$$f$, src, dst);
END
$do$;
-- +goose StatementEnd

-- portal_bigrams is the set of two-character pieces of a folded name: the pairs from the
-- first character and the pairs from the second, split on a control character no name
-- holds. A GIN index over it finds any name containing a query of two characters or more
-- (every piece of the query is in the name), whatever the language: pg_trgm sees no words
-- in Japanese text under the C locale the development cluster uses, and needs three
-- characters besides. One expression with no subquery, so PostgreSQL inlines it.
CREATE FUNCTION portal_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN array_remove(string_to_array(
        regexp_replace(t, '(..)|.', '\1' || chr(1), 'g') || regexp_replace(substr(t, 2), '(..)|.', '\1' || chr(1), 'g'),
        chr(1)), '');

ALTER TABLE facilities ADD COLUMN search_name TEXT GENERATED ALWAYS AS (portal_fold(name)) STORED;
ALTER TABLE accounts ADD COLUMN search_name TEXT GENERATED ALWAYS AS (portal_fold(facility_name)) STORED;
-- Infix matches through the pieces, whole names and beginnings through the B-tree. GIN
-- keeps new entries in a pending list that every search reads through until it is merged:
-- at the default 4 MB (what a master import leaves) a search that finds nothing took 9 ms
-- for that list alone; at 256 kB it is merged more often, at no cost to the import.
CREATE INDEX facilities_search_bigrams_idx ON facilities USING gin (portal_bigrams(search_name))
    WITH (gin_pending_list_limit = 256);
CREATE INDEX accounts_search_bigrams_idx ON accounts USING gin (portal_bigrams(search_name))
    WITH (gin_pending_list_limit = 256);
CREATE INDEX facilities_search_name_idx ON facilities (search_name text_pattern_ops);
CREATE INDEX accounts_search_name_idx ON accounts (search_name text_pattern_ops);
-- A 7-digit 医療機関等コード alone (the identity key leads with the prefecture).
CREATE INDEX facilities_code_idx ON facilities (code);
-- Phone numbers as digits, however they were written.
CREATE INDEX facilities_phone_digits_idx ON facilities (regexp_replace(phone, '[^0-9]', '', 'g'));
CREATE INDEX accounts_phone_digits_idx ON accounts (regexp_replace(phone, '[^0-9]', '', 'g'));

-- The facility page shows when the account last signed in.
ALTER TABLE accounts ADD COLUMN last_sign_in_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE accounts DROP COLUMN last_sign_in_at;
DROP INDEX accounts_phone_digits_idx;
DROP INDEX facilities_phone_digits_idx;
DROP INDEX facilities_code_idx;
DROP INDEX accounts_search_name_idx;
DROP INDEX facilities_search_name_idx;
DROP INDEX accounts_search_bigrams_idx;
DROP INDEX facilities_search_bigrams_idx;
ALTER TABLE accounts DROP COLUMN search_name;
ALTER TABLE facilities DROP COLUMN search_name;
DROP FUNCTION portal_bigrams(text);
DROP FUNCTION portal_fold(text);
