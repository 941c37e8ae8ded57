-- +goose Up
-- demo_seed records which steps of "portal seed-demo" have run, so the command loads each
-- step once and a step added later still runs on a database seeded before it existed.
CREATE TABLE demo_seed (
    step       TEXT PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE demo_seed;
