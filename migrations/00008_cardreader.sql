-- +goose Up
-- 顔認証付きカードリーダー申込: one live application per facility.
CREATE TABLE cardreader_applications (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference           TEXT NOT NULL,
    facility_id         BIGINT NOT NULL REFERENCES facilities (id),
    account_id          BIGINT NOT NULL REFERENCES accounts (id),
    status              TEXT NOT NULL DEFAULT '受付済'
                        CHECK (status IN ('受付済', '配送予定日決定', '発送済', '取消')),
    intro_year          INT NOT NULL,
    intro_month         INT NOT NULL CHECK (intro_month BETWEEN 1 AND 12),
    online_claim        TEXT NOT NULL,
    online_claim_year   INT,
    online_claim_month  INT,
    emr                 TEXT,
    emr_year            INT,
    emr_month           INT,
    dispensing          TEXT,
    dispensing_year     INT,
    dispensing_month    INT,
    delivery_change     BOOLEAN NOT NULL DEFAULT false,
    delivery_postal     TEXT NOT NULL DEFAULT '',
    delivery_pref       SMALLINT,
    delivery_address    TEXT NOT NULL DEFAULT '',
    delivery_building   TEXT NOT NULL DEFAULT '',
    delivery_name       TEXT NOT NULL DEFAULT '',
    delivery_phone      TEXT NOT NULL DEFAULT '',
    delivery_contact    TEXT NOT NULL DEFAULT '',
    delivery_date       DATE,
    shipped_at          TIMESTAMPTZ,
    cancelled_at        TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT cardreader_applications_reference_key UNIQUE (reference)
);
CREATE UNIQUE INDEX cardreader_applications_live_key ON cardreader_applications (facility_id)
    WHERE status <> '取消';
CREATE INDEX cardreader_applications_status_idx ON cardreader_applications (status, id);

-- The readers asked for: up to three slots, each a different maker.
CREATE TABLE cardreader_application_items (
    application_id BIGINT NOT NULL REFERENCES cardreader_applications (id) ON DELETE CASCADE,
    slot           SMALLINT NOT NULL CHECK (slot BETWEEN 1 AND 3),
    model_id       BIGINT NOT NULL REFERENCES card_reader_models (id),
    quantity       SMALLINT NOT NULL CHECK (quantity BETWEEN 1 AND 3),
    PRIMARY KEY (application_id, slot)
);
CREATE INDEX cardreader_application_items_model_idx ON cardreader_application_items (model_id, application_id);

-- What happened to an application, by whom: the facility's history on マイページ.
CREATE TABLE cardreader_application_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES cardreader_applications (id) ON DELETE CASCADE,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          TEXT NOT NULL CHECK (actor IN ('facility', 'operator')),
    actor_id       BIGINT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cardreader_application_events_app_idx ON cardreader_application_events (application_id, at);

CREATE SEQUENCE cardreader_reference_seq;

-- +goose Down
DROP SEQUENCE cardreader_reference_seq;
DROP TABLE cardreader_application_events;
DROP TABLE cardreader_application_items;
DROP TABLE cardreader_applications;
