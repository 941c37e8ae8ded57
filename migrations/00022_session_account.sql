-- +goose Up
-- The account a session belongs to, written beside its data by the portal's session store,
-- so that loading a signed-in facility's session and its account and facility is one query
-- (internal/session). No foreign key: an account is never deleted, and a session is checked
-- against its account's session_version on every request anyway.
ALTER TABLE sessions ADD COLUMN account_id BIGINT;

-- +goose Down
ALTER TABLE sessions DROP COLUMN account_id;
