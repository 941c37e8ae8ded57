-- +goose Up
-- Every foreign key gets an index whose leading columns are the key's, so that a facility's
-- or account's rows are found without scanning the table, and deleting or updating a
-- referenced row does not scan the referencing one. internal/database's
-- TestEveryForeignKeyHasAnIndex holds later tables to it.

-- Keys that are mostly NULL: a partial index holds only the rows that have one, and
-- PostgreSQL uses it for "col = $1", which implies "col IS NOT NULL".
CREATE INDEX provisional_credentials_deleted_by_idx ON provisional_credentials (deleted_by) WHERE deleted_by IS NOT NULL;
CREATE INDEX mail_catcher_outbox_idx ON mail_catcher (outbox_id) WHERE outbox_id IS NOT NULL;

-- +goose Down
DROP INDEX mail_catcher_outbox_idx;
DROP INDEX provisional_credentials_deleted_by_idx;
