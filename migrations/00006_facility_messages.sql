-- +goose Up
-- 個別の保険医療機関等に宛てた文書: a message the fund addresses to one facility, shown on
-- that facility's マイページ. It belongs to the facility, not the account, so it is there
-- for whoever registers the facility's account later.
CREATE TABLE facility_messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facilities (id),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    sent_by     BIGINT REFERENCES operators (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at     TIMESTAMPTZ
);
CREATE INDEX facility_messages_facility_idx ON facility_messages (facility_id, created_at DESC, id DESC);

-- Every credential a facility was ever issued (used and deleted ones too): the letter batch
-- numbers a facility's next login ID from them, and the back office lists them.
CREATE INDEX provisional_credentials_facility_idx ON provisional_credentials (facility_id);

-- +goose Down
DROP INDEX provisional_credentials_facility_idx;
DROP TABLE facility_messages;
