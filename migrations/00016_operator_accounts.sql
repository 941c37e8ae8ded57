-- +goose Up
-- Operators' accounts as supervisors manage them, and their second factor (TOTP, RFC 6238).
ALTER TABLE operators
    -- Bumped on every password or factor change and on disabling: sessions carrying an
    -- older value end (the principal middleware compares it on every request).
    ADD COLUMN session_version      INT NOT NULL DEFAULT 1,
    ADD COLUMN disabled_at          TIMESTAMPTZ,
    -- A temporary password set by a supervisor must be replaced at the next sign-in.
    ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN password_changed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN last_signin_at       TIMESTAMPTZ,
    -- The TOTP secret, sealed (AES-GCM under a key derived from SESSION_SECRET); NULL until
    -- enrolment starts. totp_enrolled_at is NULL while the operator has not yet proved a
    -- code from it (the enrolment page shows the same secret again until then).
    ADD COLUMN totp_secret          BYTEA,
    ADD COLUMN totp_enrolled_at     TIMESTAMPTZ,
    -- The last 30-second step a code was accepted for: a code of that step or an earlier
    -- one is a replay.
    ADD COLUMN totp_last_step       BIGINT NOT NULL DEFAULT 0,
    ADD CONSTRAINT operators_enrolled_has_secret CHECK (totp_enrolled_at IS NULL OR totp_secret IS NOT NULL);

-- The ten one-time recovery codes of an operator's second factor, stored only as SHA-256
-- (they are random, 50 bits each, and the code step is throttled).
CREATE TABLE operator_recovery_codes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id BIGINT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    code_hash   BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at     TIMESTAMPTZ,
    CONSTRAINT operator_recovery_codes_key UNIQUE (operator_id, code_hash)
);

-- 操作履歴 in pages: newest first by (at, id) overall (audit_log_at_idx) and per filter.
DROP INDEX audit_log_operator_idx;
DROP INDEX audit_log_target_idx;
CREATE INDEX audit_log_operator_idx ON audit_log (operator_id, at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC, id DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC, id DESC);

-- +goose Down
DROP INDEX audit_log_target_idx;
DROP INDEX audit_log_action_idx;
DROP INDEX audit_log_operator_idx;
CREATE INDEX audit_log_operator_idx ON audit_log (operator_id, at DESC);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC);
DROP TABLE operator_recovery_codes;
ALTER TABLE operators
    DROP CONSTRAINT operators_enrolled_has_secret,
    DROP COLUMN totp_last_step,
    DROP COLUMN totp_enrolled_at,
    DROP COLUMN totp_secret,
    DROP COLUMN last_signin_at,
    DROP COLUMN password_changed_at,
    DROP COLUMN must_change_password,
    DROP COLUMN disabled_at,
    DROP COLUMN session_version;
