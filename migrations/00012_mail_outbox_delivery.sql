-- +goose Up
-- The outbox is also the operators' delivery record (メール送信状況), and it sends each mail once.
--
-- status: 'pending' splits into 'queued' (waiting for its first attempt or for a retry at
-- next_attempt_at) and 'sending' (claimed by a worker: next_attempt_at is then the end of the
-- claim's lease, lease_token names the claim, and once the lease is over another worker may
-- take the mail again). 'sent' means the server accepted the mail (250 after the final dot);
-- smtp_reply keeps that answer, last_error the last failure (the server's reply text or why
-- the connection failed).
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
UPDATE mail_outbox SET status = 'queued' WHERE status = 'pending';
ALTER TABLE mail_outbox
    ALTER COLUMN status SET DEFAULT 'queued',
    ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    ADD COLUMN lease_token UUID,
    ADD COLUMN smtp_reply TEXT,
    -- The facility the mail is about, when the caller knows it (mail.Send with FacilityID).
    ADD COLUMN facility_id BIGINT REFERENCES facilities (id) ON DELETE SET NULL,
    -- A copy made by an operator's 再送 points at the mail it copies.
    ADD COLUMN resent_from BIGINT REFERENCES mail_outbox (id) ON DELETE SET NULL,
    -- Bodies of old sent and failed mails are dropped (MAIL_BODY_RETENTION); the rest of the
    -- row stays as the delivery record.
    ALTER COLUMN body DROP NOT NULL,
    ADD COLUMN body_pruned_at TIMESTAMPTZ;

-- The worker's claim: due queued mails and expired leases, oldest first.
DROP INDEX mail_outbox_due_idx;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status IN ('queued', 'sending');

-- The operators' list is newest first (created_at DESC, id DESC, mail_outbox_created_idx);
-- each filter it offers has an index in that order, so a page is an index range scan.
CREATE INDEX mail_outbox_status_idx ON mail_outbox (status, created_at DESC, id DESC);
CREATE INDEX mail_outbox_template_idx ON mail_outbox (template, created_at DESC, id DESC);
-- text_pattern_ops serves both the exact address and a prefix (LIKE 'abc%') in any collation.
CREATE INDEX mail_outbox_to_idx ON mail_outbox (lower(to_addr) text_pattern_ops, created_at DESC, id DESC);
CREATE INDEX mail_outbox_facility_idx ON mail_outbox (facility_id, created_at DESC, id DESC) WHERE facility_id IS NOT NULL;
CREATE INDEX mail_outbox_resent_from_idx ON mail_outbox (resent_from) WHERE resent_from IS NOT NULL;
-- The hourly pruning looks only at rows that still have a body.
CREATE INDEX mail_outbox_body_kept_idx ON mail_outbox (created_at) WHERE body IS NOT NULL;

-- +goose Down
DROP INDEX mail_outbox_body_kept_idx;
DROP INDEX mail_outbox_resent_from_idx;
DROP INDEX mail_outbox_facility_idx;
DROP INDEX mail_outbox_to_idx;
DROP INDEX mail_outbox_template_idx;
DROP INDEX mail_outbox_status_idx;
DROP INDEX mail_outbox_due_idx;
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_status_check;
UPDATE mail_outbox SET status = 'pending' WHERE status IN ('queued', 'sending');
UPDATE mail_outbox SET body = '' WHERE body IS NULL;
ALTER TABLE mail_outbox
    ALTER COLUMN status SET DEFAULT 'pending',
    ADD CONSTRAINT mail_outbox_status_check CHECK (status IN ('pending', 'sent', 'failed')),
    DROP COLUMN lease_token,
    DROP COLUMN smtp_reply,
    DROP COLUMN facility_id,
    DROP COLUMN resent_from,
    ALTER COLUMN body SET NOT NULL,
    DROP COLUMN body_pruned_at;
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE status = 'pending';
