-- +goose Up
-- Single-use links mailed to prove control of an address: new registration (24 h),
-- password reset (1 h) and e-mail change (24 h). Only a SHA-256 of the random token is kept,
-- so a copy of the database opens no account.
CREATE TABLE account_tokens (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('register', 'password_reset', 'email_change')),
    token_hash  BYTEA NOT NULL,
    -- register: the address being verified; password_reset: the account's address when
    -- asked; email_change: the new address.
    email       TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    account_id  BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    CONSTRAINT account_tokens_hash_key UNIQUE (token_hash),
    CONSTRAINT account_tokens_account_check CHECK ((purpose = 'register') = (account_id IS NULL))
);
-- Recent requests per address, for the silent per-address rate limit.
CREATE INDEX account_tokens_email_idx ON account_tokens (purpose, lower(email), created_at);
CREATE INDEX account_tokens_account_idx ON account_tokens (account_id) WHERE account_id IS NOT NULL;

-- +goose Down
DROP TABLE account_tokens;
