-- +goose Up
-- Sessions of alexedwards/scs (pgxstore schema).
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- 施設マスタ: what the fund knows of every facility, imported from its CSV.
CREATE TABLE facilities (
    id                        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    prefecture_code           SMALLINT NOT NULL CHECK (prefecture_code BETWEEN 1 AND 47),
    score_table_code          SMALLINT NOT NULL CHECK (score_table_code IN (1, 3, 4)),
    code                      TEXT NOT NULL CHECK (code ~ '^[0-9]{7}$'),
    kind                      TEXT NOT NULL CHECK (kind IN ('病院', '診療所', '薬局')),
    name                      TEXT NOT NULL,
    founder_name              TEXT NOT NULL,
    postal_code               TEXT NOT NULL,
    address                   TEXT NOT NULL,
    phone                     TEXT NOT NULL,
    large_chain_pharmacy      BOOLEAN NOT NULL DEFAULT false,
    dental_hospital_with_medical BOOLEAN NOT NULL DEFAULT false,
    created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT facilities_identity_key UNIQUE (prefecture_code, score_table_code, code)
);

-- 顔認証付きカードリーダーカタログ.
CREATE TABLE card_reader_models (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    maker       TEXT NOT NULL,
    product     TEXT NOT NULL,
    size        TEXT NOT NULL DEFAULT '',
    features    TEXT NOT NULL DEFAULT '',
    cards       TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    maker_url   TEXT NOT NULL DEFAULT '',
    sort_order  INT NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT card_reader_models_product_key UNIQUE (maker, product)
);

-- お知らせ.
CREATE TABLE news (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    published_on DATE NOT NULL,
    category     TEXT NOT NULL DEFAULT 'お知らせ',
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    important    BOOLEAN NOT NULL DEFAULT false,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX news_published_idx ON news (published_on DESC, id DESC);

-- Operators and supervisors of the call center (/admin).
CREATE TABLE operators (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('operator', 'supervisor')),
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE operators;
DROP TABLE news;
DROP TABLE card_reader_models;
DROP TABLE facilities;
DROP TABLE sessions;
