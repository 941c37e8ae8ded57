-- +goose Up
-- mail_outbox: every mail the portal sends, written in the same transaction as the change
-- that causes it and delivered by mail.Worker. A pending row whose next_attempt_at is in
-- the future is either waiting for a retry or claimed by a worker (the claim pushes
-- next_attempt_at forward as a lease, so a crashed worker's mails come back by themselves).
CREATE TABLE mail_outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      TEXT NOT NULL,
    template        TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at         TIMESTAMPTZ,
    CONSTRAINT mail_outbox_message_id_key UNIQUE (message_id)
);
-- The worker's claim: due pending mails, oldest first.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
-- The operators' list of recent mails.
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at DESC, id DESC);

-- mail_catcher: in development (no SMTP configured) the worker "delivers" here, and
-- GET /dev/mailbox shows it.
CREATE TABLE mail_catcher (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outbox_id   BIGINT REFERENCES mail_outbox (id) ON DELETE SET NULL,
    message_id  TEXT NOT NULL,
    from_addr   TEXT NOT NULL,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX mail_catcher_received_idx ON mail_catcher (received_at DESC, id DESC);

-- +goose Down
DROP TABLE mail_catcher;
DROP TABLE mail_outbox;
