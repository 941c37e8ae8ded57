-- +goose Up
-- One shape for every application kind (internal/application): a history table shared by
-- every kind, the card reader's rules enforced by the database, and the two kinds that
-- follow it: オンライン資格確認利用申請 and 電子証明書発行申請.

-- What happened to an application, by whom (facility or operator), whatever its kind.
-- application_id points into the kind's own table, named by kind.
CREATE TABLE application_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('cardreader', 'qualification', 'certificate')),
    application_id BIGINT NOT NULL,
    facility_id    BIGINT NOT NULL REFERENCES facilities (id),
    reference      TEXT NOT NULL,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          TEXT NOT NULL CHECK (actor IN ('facility', 'operator')),
    actor_id       BIGINT NOT NULL,
    action         TEXT NOT NULL CHECK (action <> ''),
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_app_idx ON application_events (kind, application_id, at);
CREATE INDEX application_events_facility_idx ON application_events (facility_id, at);

INSERT INTO application_events (kind, application_id, facility_id, reference, at, actor, actor_id, action, detail)
SELECT 'cardreader', e.application_id, a.facility_id, a.reference, e.at, e.actor, e.actor_id, e.action, e.detail
FROM cardreader_application_events e JOIN cardreader_applications a ON a.id = e.application_id
ORDER BY e.id;
DROP TABLE cardreader_application_events;

-- 顔認証付きカードリーダー申込: what the rules imply, enforced where the data lives.
ALTER TABLE cardreader_applications
    ADD CONSTRAINT cardreader_intro_year CHECK (intro_year BETWEEN 2000 AND 2100),
    ADD CONSTRAINT cardreader_online_claim CHECK (online_claim IN ('導入している', '未導入（導入予定あり）', '導入予定なし')),
    ADD CONSTRAINT cardreader_online_claim_planned CHECK (
        (online_claim = '未導入（導入予定あり）') = (online_claim_year IS NOT NULL AND online_claim_month IS NOT NULL)
        AND (online_claim_year IS NULL) = (online_claim_month IS NULL)),
    ADD CONSTRAINT cardreader_emr CHECK (emr IS NULL OR emr IN ('導入している', '未導入（導入予定あり）', '導入予定なし')),
    ADD CONSTRAINT cardreader_emr_planned CHECK (
        (emr IS NOT DISTINCT FROM '未導入（導入予定あり）') = (emr_year IS NOT NULL AND emr_month IS NOT NULL)
        AND (emr_year IS NULL) = (emr_month IS NULL)),
    ADD CONSTRAINT cardreader_dispensing CHECK (dispensing IS NULL OR dispensing IN ('導入している', '未導入（導入予定あり）', '導入予定なし')),
    ADD CONSTRAINT cardreader_dispensing_planned CHECK (
        (dispensing IS NOT DISTINCT FROM '未導入（導入予定あり）') = (dispensing_year IS NOT NULL AND dispensing_month IS NOT NULL)
        AND (dispensing_year IS NULL) = (dispensing_month IS NULL)),
    ADD CONSTRAINT cardreader_emr_or_dispensing CHECK (emr IS NULL OR dispensing IS NULL),
    ADD CONSTRAINT cardreader_months CHECK (
        coalesce(online_claim_month, 1) BETWEEN 1 AND 12 AND coalesce(emr_month, 1) BETWEEN 1 AND 12
        AND coalesce(dispensing_month, 1) BETWEEN 1 AND 12),
    ADD CONSTRAINT cardreader_years CHECK (
        coalesce(online_claim_year, 2000) BETWEEN 2000 AND 2100 AND coalesce(emr_year, 2000) BETWEEN 2000 AND 2100
        AND coalesce(dispensing_year, 2000) BETWEEN 2000 AND 2100),
    ADD CONSTRAINT cardreader_delivery CHECK (CASE WHEN delivery_change THEN
            delivery_postal ~ '^[0-9]{7}$' AND delivery_pref BETWEEN 1 AND 47 AND delivery_address <> ''
            AND delivery_name <> '' AND delivery_phone <> '' AND delivery_contact <> ''
        ELSE
            delivery_postal = '' AND delivery_pref IS NULL AND delivery_address = '' AND delivery_building = ''
            AND delivery_name = '' AND delivery_phone = '' AND delivery_contact = ''
        END),
    ADD CONSTRAINT cardreader_status_dates CHECK (CASE status
        WHEN '受付済' THEN delivery_date IS NULL AND shipped_at IS NULL AND cancelled_at IS NULL
        WHEN '配送予定日決定' THEN delivery_date IS NOT NULL AND shipped_at IS NULL AND cancelled_at IS NULL
        WHEN '発送済' THEN delivery_date IS NOT NULL AND shipped_at IS NOT NULL AND cancelled_at IS NULL
        WHEN '取消' THEN cancelled_at IS NOT NULL AND shipped_at IS NULL
        END);
CREATE INDEX cardreader_applications_facility_idx ON cardreader_applications (facility_id, created_at DESC);
CREATE INDEX cardreader_applications_account_idx ON cardreader_applications (account_id);

-- オンライン資格確認利用申請: one per facility. Changed by the facility until approved; an
-- operator approves it or sends it back with a reason, and a sent-back one is corrected
-- and sent again.
CREATE TABLE qualification_applications (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference           TEXT NOT NULL,
    facility_id         BIGINT NOT NULL REFERENCES facilities (id),
    account_id          BIGINT NOT NULL REFERENCES accounts (id),
    status              TEXT NOT NULL CHECK (status IN ('申請中', '差戻し', '承認済')),
    line_type           TEXT NOT NULL CHECK (line_type IN ('IP-VPN接続方式', 'IPsec+IKE接続方式')),
    provider            TEXT NOT NULL CHECK (CASE line_type
        WHEN 'IP-VPN接続方式' THEN provider IN ('NTT東日本', 'NTT西日本', '中部テレコミュニケーション株式会社（CTC）', '株式会社QTnet', '光コラボレーション事業者等')
        ELSE provider IN ('株式会社NTTPCコミュニケーションズ', '株式会社NTTデータ中国', '富士通株式会社', '三菱電機インフォメーションネットワーク株式会社')
        END),
    customer_id         TEXT NOT NULL DEFAULT '' CHECK (
        CASE WHEN line_type = 'IP-VPN接続方式' AND provider IN ('NTT東日本', 'NTT西日本', '光コラボレーション事業者等')
        THEN customer_id ~ '^(CAF|COP)[0-9]{10}$' ELSE customer_id = '' END),
    start_year          INT NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    start_month         INT NOT NULL CHECK (start_month BETWEEN 1 AND 12),
    test_year           INT CHECK (test_year BETWEEN 2000 AND 2100),
    test_month          INT CHECK (test_month BETWEEN 1 AND 12),
    submitted_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at         TIMESTAMPTZ,
    returned_at         TIMESTAMPTZ,
    return_reason       TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT qualification_applications_reference_key UNIQUE (reference),
    CONSTRAINT qualification_applications_facility_key UNIQUE (facility_id),
    CONSTRAINT qualification_test_month_pair CHECK ((test_year IS NULL) = (test_month IS NULL)),
    CONSTRAINT qualification_test_before_start CHECK (test_year IS NULL OR (test_year, test_month) <= (start_year, start_month)),
    CONSTRAINT qualification_status_dates CHECK (CASE status
        WHEN '申請中' THEN approved_at IS NULL AND returned_at IS NULL AND return_reason = ''
        WHEN '差戻し' THEN approved_at IS NULL AND returned_at IS NOT NULL AND return_reason <> ''
        WHEN '承認済' THEN approved_at IS NOT NULL AND returned_at IS NULL AND return_reason = ''
        END)
);
CREATE INDEX qualification_applications_status_idx ON qualification_applications (status, submitted_at DESC, id DESC);
CREATE INDEX qualification_applications_submitted_idx ON qualification_applications (submitted_at DESC, id DESC);
CREATE INDEX qualification_applications_account_idx ON qualification_applications (account_id);
CREATE SEQUENCE qualification_reference_seq;

-- 電子証明書発行申請: each submission (one 申込番号) asks for one or more certificates, one
-- per PC that connects; each certificate then lives its own life.
CREATE TABLE certificate_applications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference   TEXT NOT NULL,
    facility_id BIGINT NOT NULL REFERENCES facilities (id),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT certificate_applications_reference_key UNIQUE (reference)
);
CREATE INDEX certificate_applications_facility_idx ON certificate_applications (facility_id, created_at DESC);
CREATE INDEX certificate_applications_account_idx ON certificate_applications (account_id);
CREATE SEQUENCE certificate_reference_seq;

CREATE TABLE certificates (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id      BIGINT NOT NULL REFERENCES certificate_applications (id),
    facility_id         BIGINT NOT NULL REFERENCES facilities (id),
    purpose             TEXT NOT NULL CHECK (purpose IN ('資格確認端末', '閲覧用端末', 'オンライン請求用')),
    name                TEXT NOT NULL CHECK (name <> '' AND char_length(name) <= 50),
    status              TEXT NOT NULL CHECK (status IN ('申請中', '発行済', '失効申請中', '失効', '取消')),
    requested_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    issued_at           TIMESTAMPTZ,
    revoke_requested_at TIMESTAMPTZ,
    revoked_at          TIMESTAMPTZ,
    cancelled_at        TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT certificates_status_dates CHECK (CASE status
        WHEN '申請中' THEN issued_at IS NULL AND revoke_requested_at IS NULL AND revoked_at IS NULL AND cancelled_at IS NULL
        WHEN '取消' THEN issued_at IS NULL AND revoked_at IS NULL AND cancelled_at IS NOT NULL
        WHEN '発行済' THEN issued_at IS NOT NULL AND revoke_requested_at IS NULL AND revoked_at IS NULL AND cancelled_at IS NULL
        WHEN '失効申請中' THEN issued_at IS NOT NULL AND revoke_requested_at IS NOT NULL AND revoked_at IS NULL AND cancelled_at IS NULL
        WHEN '失効' THEN issued_at IS NOT NULL AND revoked_at IS NOT NULL AND cancelled_at IS NULL
        END)
);
-- A name tells the facility's PCs apart: unique among its certificates still in use.
CREATE UNIQUE INDEX certificates_live_name_key ON certificates (facility_id, name) WHERE status IN ('申請中', '発行済', '失効申請中');
CREATE INDEX certificates_application_idx ON certificates (application_id);
CREATE INDEX certificates_status_idx ON certificates (status, requested_at DESC, id DESC);
CREATE INDEX certificates_requested_idx ON certificates (requested_at DESC, id DESC);
CREATE INDEX certificates_facility_idx ON certificates (facility_id, id);

-- +goose Down
DROP TABLE certificates;
DROP SEQUENCE certificate_reference_seq;
DROP TABLE certificate_applications;
DROP SEQUENCE qualification_reference_seq;
DROP TABLE qualification_applications;
DROP INDEX cardreader_applications_account_idx;
DROP INDEX cardreader_applications_facility_idx;
ALTER TABLE cardreader_applications
    DROP CONSTRAINT cardreader_intro_year, DROP CONSTRAINT cardreader_online_claim,
    DROP CONSTRAINT cardreader_online_claim_planned, DROP CONSTRAINT cardreader_emr,
    DROP CONSTRAINT cardreader_emr_planned, DROP CONSTRAINT cardreader_dispensing,
    DROP CONSTRAINT cardreader_dispensing_planned, DROP CONSTRAINT cardreader_emr_or_dispensing,
    DROP CONSTRAINT cardreader_months, DROP CONSTRAINT cardreader_years,
    DROP CONSTRAINT cardreader_delivery, DROP CONSTRAINT cardreader_status_dates;
CREATE TABLE cardreader_application_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES cardreader_applications (id) ON DELETE CASCADE,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          TEXT NOT NULL CHECK (actor IN ('facility', 'operator')),
    actor_id       BIGINT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT ''
);
INSERT INTO cardreader_application_events (application_id, at, actor, actor_id, action, detail)
SELECT application_id, at, actor, actor_id, action, detail FROM application_events WHERE kind = 'cardreader';
DROP TABLE application_events;
