-- +goose Up
-- Batches a supervisor starts from the back office (internal/batch): the facility master
-- import and the provisional letter batch. Each run is one row, worked by a River job in
-- whichever `portal serve` claims it; the row carries its progress for the screen.
CREATE TABLE batch_runs (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('master_import', 'letters')),
    -- queued → running → done, or refused (a master file with problems: nothing imported),
    -- or failed (gave up after its attempts: nothing changed).
    state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'refused', 'failed')),
    started_by    BIGINT NOT NULL REFERENCES operators (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    -- Written with each progress step; a running batch whose heartbeat stopped was cut off.
    heartbeat_at  TIMESTAMPTZ,
    attempts      INT NOT NULL DEFAULT 0,
    stage         TEXT NOT NULL DEFAULT '',
    done          INT NOT NULL DEFAULT 0 CHECK (done >= 0),
    total         INT NOT NULL DEFAULT 0 CHECK (total >= 0),
    -- The uploaded master file as sent, kept only until its run ends.
    file_name     TEXT NOT NULL DEFAULT '',
    file_size     BIGINT NOT NULL DEFAULT 0,
    upload        BYTEA,
    -- letters: the CSV encoding, utf8 (with BOM) or cp932 (jp.Encoding).
    encoding      TEXT NOT NULL DEFAULT '',
    -- What the run did (counts), as JSON.
    result        JSONB NOT NULL DEFAULT '{}',
    -- master_import refused: how many problems, and every one of them (gzip, one per line).
    problem_count INT NOT NULL DEFAULT 0,
    problems      BYTEA,
    -- letters: the print vendor's CSV, which holds the clear passwords, sealed with AES-GCM
    -- under a key derived from SESSION_SECRET, and dropped once downloaded.
    output        BYTEA,
    downloaded_at TIMESTAMPTZ,
    error         TEXT NOT NULL DEFAULT '',
    CONSTRAINT batch_runs_upload_kind CHECK (upload IS NULL OR kind = 'master_import'),
    CONSTRAINT batch_runs_output_kind CHECK (output IS NULL OR kind = 'letters')
);
-- One run of a kind at a time, across every instance: a second start is refused here.
CREATE UNIQUE INDEX batch_runs_active_key ON batch_runs (kind) WHERE state IN ('queued', 'running');
CREATE INDEX batch_runs_created_idx ON batch_runs (created_at DESC, id DESC);
CREATE INDEX batch_runs_started_by_idx ON batch_runs (started_by);

-- +goose Down
DROP TABLE batch_runs;
