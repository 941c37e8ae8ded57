-- +goose Up
-- Counters of the rate limits (internal/ratelimit): one row per limit, subject and fixed
-- window, bumped by one atomic upsert per attempt, so every instance sharing the database
-- shares the limits. The subject (a client address or an e-mail address) is kept only as
-- an HMAC under SESSION_SECRET: the table holds no personal data.
CREATE TABLE rate_limit_counters (
    name         TEXT NOT NULL,
    subject      BYTEA NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INT NOT NULL,
    -- Two windows after its start a counter no longer weighs on any decision.
    expires_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, subject, window_start)
);
CREATE INDEX rate_limit_counters_expires_idx ON rate_limit_counters (expires_at);

-- The per-address limit of mailed links moved here from a count of account_tokens.
DROP INDEX account_tokens_email_idx;

-- +goose Down
CREATE INDEX account_tokens_email_idx ON account_tokens (purpose, lower(email), created_at);
DROP TABLE rate_limit_counters;
