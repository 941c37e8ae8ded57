-- +goose Up
-- 問い合わせ: a case opened by the inquiry form (a visitor or a signed-in facility) or by an
-- operator for a phone caller, with its conversation as a thread. Cases are never deleted:
-- クローズ is a status.
CREATE SEQUENCE inquiry_reference_seq;

CREATE TABLE inquiries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- 問い合わせ番号, e.g. IQ261201-000001 (JST date of receipt).
    reference    TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT '新規' CHECK (status IN ('新規', '対応中', '回答済', 'クローズ')),
    -- 1 高, 2 通常, 3 低.
    priority     SMALLINT NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    channel      TEXT NOT NULL CHECK (channel IN ('form', 'phone')),
    category     TEXT NOT NULL CHECK (category <> ''),
    -- The facility the case is about: the signed-in facility that sent it, or the one an
    -- operator linked. A visitor's typed code is kept apart (facility_code) and never links
    -- by itself, or anyone could put a case on another facility's マイページ.
    facility_id  BIGINT REFERENCES facilities (id),
    account_id   BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    facility_code TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL CHECK (name <> '' AND char_length(name) <= 100),
    email        TEXT NOT NULL DEFAULT '' CHECK (char_length(email) <= 254),
    phone        TEXT NOT NULL DEFAULT '' CHECK (char_length(phone) <= 20),
    assignee_id  BIGINT REFERENCES operators (id),
    -- The operator who opened a phone caller's case.
    opened_by    BIGINT REFERENCES operators (id),
    -- The signed token of the form it came from: the same form posted twice is one case.
    form_token   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT inquiries_reference_key UNIQUE (reference),
    CONSTRAINT inquiries_form_token_key UNIQUE (form_token),
    CONSTRAINT inquiries_form_has_email CHECK (channel = 'phone' OR email <> '')
);
-- The operators' inbox, newest first, each filter with its index in that order.
CREATE INDEX inquiries_created_idx ON inquiries (created_at DESC, id DESC);
CREATE INDEX inquiries_status_idx ON inquiries (status, created_at DESC, id DESC);
CREATE INDEX inquiries_assignee_idx ON inquiries (assignee_id, created_at DESC, id DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX inquiries_facility_idx ON inquiries (facility_id, created_at DESC, id DESC) WHERE facility_id IS NOT NULL;
CREATE INDEX inquiries_account_idx ON inquiries (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX inquiries_opened_by_idx ON inquiries (opened_by) WHERE opened_by IS NOT NULL;

-- The thread: the question, the sender's replies, the operators' answers (mailed), their
-- internal notes and the case's events (status, assignee…). Notes and events are never
-- shown to the facility.
CREATE TABLE inquiry_messages (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inquiry_id  BIGINT NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('question', 'reply', 'answer', 'note', 'event')),
    operator_id BIGINT REFERENCES operators (id),
    body        TEXT NOT NULL CHECK (body <> '' AND char_length(body) <= 20000),
    -- The answer's mail in the outbox.
    mail_id     BIGINT REFERENCES mail_outbox (id) ON DELETE SET NULL,
    -- The single-use token of the form that posted it: a double click adds one message.
    token       TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT inquiry_messages_operator CHECK ((kind IN ('answer', 'note')) <= (operator_id IS NOT NULL)),
    CONSTRAINT inquiry_messages_token_key UNIQUE (inquiry_id, token)
);
CREATE INDEX inquiry_messages_inquiry_idx ON inquiry_messages (inquiry_id, created_at, id);
CREATE INDEX inquiry_messages_operator_idx ON inquiry_messages (operator_id) WHERE operator_id IS NOT NULL;
CREATE INDEX inquiry_messages_mail_idx ON inquiry_messages (mail_id) WHERE mail_id IS NOT NULL;

-- A file sent with the question (PDF, PNG or JPEG, checked by content), kept with its
-- checksum in PostgreSQL so every instance serves it.
CREATE TABLE inquiry_attachments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inquiry_id   BIGINT NOT NULL REFERENCES inquiries (id) ON DELETE CASCADE,
    message_id   BIGINT NOT NULL REFERENCES inquiry_messages (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL CHECK (filename <> '' AND char_length(filename) <= 200),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size         INT NOT NULL CHECK (size > 0),
    sha256       BYTEA NOT NULL CHECK (length(sha256) = 32),
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT inquiry_attachments_size CHECK (length(data) = size)
);
CREATE INDEX inquiry_attachments_inquiry_idx ON inquiry_attachments (inquiry_id);
CREATE INDEX inquiry_attachments_message_idx ON inquiry_attachments (message_id);

-- 回答テンプレート, managed by supervisors. {{施設名}} and {{医療機関等コード}} in the body are
-- replaced when an operator uses one.
CREATE TABLE inquiry_templates (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      TEXT NOT NULL CHECK (title <> '' AND char_length(title) <= 100),
    body       TEXT NOT NULL CHECK (body <> '' AND char_length(body) <= 10000),
    sort_order INT NOT NULL DEFAULT 0,
    updated_by BIGINT REFERENCES operators (id),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT inquiry_templates_title_key UNIQUE (title)
);
CREATE INDEX inquiry_templates_updated_by_idx ON inquiry_templates (updated_by) WHERE updated_by IS NOT NULL;

-- +goose Down
DROP TABLE inquiry_templates;
DROP TABLE inquiry_attachments;
DROP TABLE inquiry_messages;
DROP TABLE inquiries;
DROP SEQUENCE inquiry_reference_seq;
