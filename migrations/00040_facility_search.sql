-- +goose Up
-- 施設検索 (the back office's landing page): one box that finds a facility by code, name,
-- phone, e-mail address or 申込番号, fast on 250,000 facilities (internal/facility).

-- portal_fold is how names are compared: NFKC (full-width letters and digits to ASCII,
-- half-width katakana to full-width with their voiced marks), ASCII lower case, hiragana
-- to katakana, a few variant kanji people mix up on the phone to their common form, and no
-- spaces or middle dots. internal/facility.Fold is the same in Go (a test holds them
-- together). The translate() table is built here from the code points, not typed out.
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
    -- Characters in src past the end of dst are deleted: the space (U+3000 is a space after
    -- NFKC) and the middle dot.
    src := src || ' ・';
    EXECUTE format($f$CREATE FUNCTION portal_fold(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN translate(lower(normalize(t, NFKC)), %L, %L)$f$, src, dst);
END
$do$;
-- +goose StatementEnd

-- portal_bigrams is the set of two-character pieces of a folded name. A GIN index over it
-- finds any name containing a query of two characters or more (every piece of the query
-- is in the name), whatever the language: pg_trgm sees no words in Japanese text under the
-- C locale the development cluster uses, and needs three characters besides.
CREATE FUNCTION portal_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ARRAY(SELECT DISTINCT substr(t, i, 2) FROM generate_series(1, length(t) - 1) AS i);

ALTER TABLE facilities ADD COLUMN search_name TEXT GENERATED ALWAYS AS (portal_fold(name)) STORED;
ALTER TABLE accounts ADD COLUMN search_name TEXT GENERATED ALWAYS AS (portal_fold(facility_name)) STORED;
-- Infix matches through the pieces, whole names and beginnings through the B-tree.
CREATE INDEX facilities_search_bigrams_idx ON facilities USING gin (portal_bigrams(search_name));
CREATE INDEX accounts_search_bigrams_idx ON accounts USING gin (portal_bigrams(search_name));
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
