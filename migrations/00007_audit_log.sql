-- +goose Up
-- 操作履歴: what operators did, written in the same transaction as the change itself.
-- operator_id is NULL for what the system did on its own (batches, workers).
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    operator_id BIGINT REFERENCES operators (id),
    action      TEXT NOT NULL CHECK (action <> ''),
    target_type TEXT NOT NULL DEFAULT '',
    target_id   BIGINT,
    detail      JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_operator_idx ON audit_log (operator_id, at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC);

-- +goose Down
DROP TABLE audit_log;
