-- +goose Up
-- 個別文書: a PDF a supervisor sends to one facility or a filtered set. The file is kept once,
-- with its SHA-256, in PostgreSQL (every instance serves it; nothing to share on disk); each
-- facility it is addressed to gets a facility_messages row (未読/既読 on マイページ), which
-- belongs to the facility, so a facility without an account sees it once it registers.
CREATE TABLE documents (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        TEXT NOT NULL CHECK (title <> '' AND char_length(title) <= 200),
    filename     TEXT NOT NULL CHECK (filename <> '' AND char_length(filename) <= 200),
    content_type TEXT NOT NULL DEFAULT 'application/pdf' CHECK (content_type = 'application/pdf'),
    size         INT NOT NULL CHECK (size > 0),
    sha256       BYTEA NOT NULL CHECK (length(sha256) = 32),
    data         BYTEA NOT NULL,
    audience_label TEXT NOT NULL DEFAULT '',
    recipients   INT NOT NULL DEFAULT 0,
    created_by   BIGINT REFERENCES operators (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The upload form's single-use token: a double click sends once.
    token        TEXT NOT NULL,
    CONSTRAINT documents_token_key UNIQUE (token),
    CONSTRAINT documents_size CHECK (length(data) = size)
);
CREATE INDEX documents_created_idx ON documents (created_at DESC, id DESC);
CREATE INDEX documents_created_by_idx ON documents (created_by) WHERE created_by IS NOT NULL;

ALTER TABLE facility_messages ADD COLUMN document_id BIGINT REFERENCES documents (id);
-- One copy per document and facility; and who has read a document, for the operators.
CREATE UNIQUE INDEX facility_messages_document_key ON facility_messages (document_id, facility_id) WHERE document_id IS NOT NULL;
CREATE INDEX facility_messages_sent_by_idx ON facility_messages (sent_by) WHERE sent_by IS NOT NULL;

ALTER TABLE broadcasts ADD COLUMN document_id BIGINT REFERENCES documents (id);
CREATE INDEX broadcasts_document_idx ON broadcasts (document_id) WHERE document_id IS NOT NULL;

-- +goose Down
DROP INDEX broadcasts_document_idx;
ALTER TABLE broadcasts DROP COLUMN document_id;
DROP INDEX facility_messages_sent_by_idx;
DROP INDEX facility_messages_document_key;
ALTER TABLE facility_messages DROP COLUMN document_id;
DROP TABLE documents;
