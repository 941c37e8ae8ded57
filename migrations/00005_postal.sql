-- 郵便番号データ imported from Japan Post's utf_ken_all.csv ("portal postal import").
-- Until the first import the portal uses the copy embedded in the binary.

-- +goose Up
CREATE TABLE postal_codes (
    code            char(7)  NOT NULL CHECK (code ~ '^[0-9]{7}$'),
    -- seq keeps Japan Post's order among the towns of one code.
    seq             integer  NOT NULL,
    prefecture_code smallint NOT NULL CHECK (prefecture_code BETWEEN 1 AND 47),
    city            text     NOT NULL CHECK (city <> ''),
    town            text     NOT NULL,
    PRIMARY KEY (code, seq)
);

-- One row: the version every instance compares with the one it holds in memory.
CREATE TABLE postal_data_version (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    version     bigint      NOT NULL,
    source      text        NOT NULL,
    row_count   integer     NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE postal_data_version;
DROP TABLE postal_codes;
