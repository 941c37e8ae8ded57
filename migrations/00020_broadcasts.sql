-- +goose Up
-- 一斉送信: one mail to every account or a filtered set. The rows reach the outbox by one
-- set-based INSERT … SELECT per chunk (internal/broadcast, a River job), and the mail worker
-- delivers them no faster than BROADCAST_RATE, after every transactional mail that is due.
CREATE TABLE broadcasts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The mail template (broadcast, document_waiting) and what the supervisor wrote.
    template      TEXT NOT NULL CHECK (template <> ''),
    subject       TEXT NOT NULL CHECK (subject <> '' AND char_length(subject) <= 200),
    body          TEXT NOT NULL DEFAULT '' CHECK (char_length(body) <= 20000),
    -- The recipients: an audience filter (internal/audience) as JSON, and how the page
    -- names it. A document's notice goes to the facilities the document was addressed to.
    audience      JSONB NOT NULL DEFAULT '{}',
    audience_label TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('enqueuing', 'sending', 'stopped')),
    -- Recipients counted on the confirm page, and mails written to the outbox so far.
    planned       INT NOT NULL DEFAULT 0 CHECK (planned >= 0),
    enqueued      INT NOT NULL DEFAULT 0 CHECK (enqueued >= 0),
    -- The last account id written: the enqueue job resumes after it.
    cursor_account BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT REFERENCES operators (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    enqueued_at   TIMESTAMPTZ,
    stopped_by    BIGINT REFERENCES operators (id),
    stopped_at    TIMESTAMPTZ,
    -- The confirm page's single-use token: a double click sends once.
    token         TEXT NOT NULL,
    CONSTRAINT broadcasts_token_key UNIQUE (token),
    CONSTRAINT broadcasts_stopped CHECK ((status = 'stopped') = (stopped_at IS NOT NULL))
);
CREATE INDEX broadcasts_created_idx ON broadcasts (created_at DESC, id DESC);
CREATE INDEX broadcasts_created_by_idx ON broadcasts (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX broadcasts_stopped_by_idx ON broadcasts (stopped_by) WHERE stopped_by IS NOT NULL;

-- A broadcast's mails carry its id. 'cancelled' is a mail of a broadcast stopped before it
-- went out. One mail per broadcast and facility (one account each): the enqueue job can
-- run a chunk again after a crash and write nothing twice. broadcast_id has no foreign key
-- on purpose: its check is a trigger call and a row lock per mail, a third of the time of
-- writing 250,000 of them, and broadcasts are never deleted (nothing offers it).
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox
    ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    ADD COLUMN broadcast_id BIGINT;
CREATE UNIQUE INDEX mail_outbox_broadcast_key ON mail_outbox (broadcast_id, facility_id) WHERE broadcast_id IS NOT NULL;
-- The worker claims transactional mails from one index and broadcast mails from another,
-- so a reset link never waits behind a quarter of a million broadcast mails.
DROP INDEX mail_outbox_due_idx;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id)
    WHERE status IN ('queued', 'sending') AND broadcast_id IS NULL;
CREATE INDEX mail_outbox_bulk_due_idx ON mail_outbox (next_attempt_at, id)
    WHERE status IN ('queued', 'sending') AND broadcast_id IS NOT NULL;
-- A broadcast's mails still to go: its progress, and what stopping cancels.
CREATE INDEX mail_outbox_broadcast_pending_idx ON mail_outbox (broadcast_id)
    WHERE status IN ('queued', 'sending') AND broadcast_id IS NOT NULL;

-- The pace of broadcast mails, shared by every worker of every instance: a worker takes a
-- broadcast mail only when next_at has passed, and moves it on by 1/BROADCAST_RATE.
CREATE TABLE mail_bulk_pace (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    next_at   TIMESTAMPTZ NOT NULL DEFAULT '-infinity'
);
INSERT INTO mail_bulk_pace DEFAULT VALUES;

-- +goose Down
DROP TABLE mail_bulk_pace;
DROP INDEX mail_outbox_broadcast_pending_idx;
DROP INDEX mail_outbox_bulk_due_idx;
DROP INDEX mail_outbox_due_idx;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status IN ('queued', 'sending');
DROP INDEX mail_outbox_broadcast_key;
UPDATE mail_outbox SET status = 'failed', last_error = coalesce(last_error, 'cancelled') WHERE status = 'cancelled';
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
ALTER TABLE mail_outbox
    ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    DROP COLUMN broadcast_id;
DROP TABLE broadcasts;
