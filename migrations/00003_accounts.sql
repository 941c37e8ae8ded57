-- +goose Up
-- A facility's portal account: one per facility, the e-mail address is its login ID.
CREATE TABLE accounts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id         BIGINT NOT NULL REFERENCES facilities (id),
    email               TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    password_hash       TEXT NOT NULL,
    facility_name       TEXT NOT NULL,
    founder_name        TEXT NOT NULL,
    phone               TEXT NOT NULL,
    contact_name        TEXT NOT NULL,
    -- Bumped whenever the password or address changes: sessions carrying an older value end.
    session_version     INT NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    password_changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT accounts_facility_key UNIQUE (facility_id)
);
-- One facility per address; addresses compare without regard to case.
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));

-- 仮メールアドレス・仮パスワード of the mailed letter (アカウント登録案内文書), and the one-time
-- login of a パスワード等通知書. The secret is random (>= 70 bits) and stored only as an HMAC.
CREATE TABLE provisional_credentials (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    facility_id   BIGINT NOT NULL REFERENCES facilities (id),
    kind          TEXT NOT NULL DEFAULT 'letter' CHECK (kind IN ('letter', 'notice')),
    login_id      TEXT NOT NULL,
    secret_hash   BYTEA NOT NULL,
    issued_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at       TIMESTAMPTZ,
    deleted_at    TIMESTAMPTZ,
    deleted_by    BIGINT REFERENCES operators (id),
    delete_reason TEXT,
    CONSTRAINT provisional_credentials_login_key UNIQUE (login_id)
);
-- At most one live credential per facility.
CREATE UNIQUE INDEX provisional_credentials_live_key ON provisional_credentials (facility_id)
    WHERE used_at IS NULL AND deleted_at IS NULL;

-- Failed sign-ins per login as typed (known or not, so the answer reveals nothing): five
-- within fifteen minutes lock that login for fifteen minutes, across every instance.
CREATE TABLE login_throttle (
    login        TEXT PRIMARY KEY,
    failures     INT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ
);

-- +goose Down
DROP TABLE login_throttle;
DROP TABLE provisional_credentials;
DROP TABLE accounts;
