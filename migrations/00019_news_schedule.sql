-- +goose Up
-- お知らせ written in the back office: a draft (publish_at NULL), scheduled (publish_at in the
-- future) or published (publish_at passed). Visitors see an item from its publish time on,
-- to the second; unpublishing makes it a draft again.
ALTER TABLE news
    ADD COLUMN publish_at TIMESTAMPTZ,
    ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN updated_by BIGINT REFERENCES operators (id);
UPDATE news SET publish_at = published_on::timestamp AT TIME ZONE 'Asia/Tokyo', updated_at = created_at;
DROP INDEX news_published_idx;
ALTER TABLE news
    DROP COLUMN published_on,
    DROP COLUMN important,
    -- 重要なお知らせ is a category; important follows it.
    ADD COLUMN important BOOLEAN GENERATED ALWAYS AS (category = '重要なお知らせ') STORED,
    ADD CONSTRAINT news_category CHECK (category IN ('お知らせ', '重要なお知らせ')),
    ADD CONSTRAINT news_title CHECK (title <> '' AND char_length(title) <= 200),
    ADD CONSTRAINT news_body CHECK (body <> '' AND char_length(body) <= 20000);
CREATE INDEX news_publish_idx ON news (publish_at DESC, id DESC) WHERE publish_at IS NOT NULL;
CREATE INDEX news_updated_by_idx ON news (updated_by) WHERE updated_by IS NOT NULL;

-- +goose Down
DROP INDEX news_updated_by_idx;
DROP INDEX news_publish_idx;
ALTER TABLE news
    DROP CONSTRAINT news_category, DROP CONSTRAINT news_title, DROP CONSTRAINT news_body,
    DROP COLUMN important,
    ADD COLUMN important BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN published_on DATE;
UPDATE news SET important = (category = '重要なお知らせ'),
    published_on = coalesce((publish_at AT TIME ZONE 'Asia/Tokyo')::date, created_at::date);
ALTER TABLE news ALTER COLUMN published_on SET NOT NULL,
    DROP COLUMN publish_at, DROP COLUMN updated_at, DROP COLUMN updated_by;
CREATE INDEX news_published_idx ON news (published_on DESC, id DESC);
