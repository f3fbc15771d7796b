-- relanced ledger, PostgreSQL. Lists (odoo_ids, recipients) and the run summary are JSON
-- text, so that both backends store the same thing. The run lock is an advisory lock
-- (pg_try_advisory_lock), so there is no lock table here.

CREATE TABLE runs (
    id           BIGSERIAL   PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    as_of        DATE        NOT NULL,
    kind         TEXT        NOT NULL CHECK (kind IN ('scheduled', 'once', 'launch', 'approve')),
    status       TEXT        NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
    summary      TEXT,
    host         TEXT        NOT NULL,
    pid          BIGINT      NOT NULL
);
CREATE INDEX runs_status ON runs (status);

CREATE TABLE actions (
    id               BIGSERIAL   PRIMARY KEY,
    run_id           BIGINT      NOT NULL REFERENCES runs (id),
    idempotency_key  TEXT        NOT NULL UNIQUE,
    company_id       BIGINT      NOT NULL,
    customer_id      BIGINT      NOT NULL,
    level_index      BIGINT      NOT NULL,
    level_key        TEXT        NOT NULL,
    kind             TEXT        NOT NULL CHECK (kind IN ('email', 'letter', 'attachment', 'note', 'activity', 'marker', 'state')),
    state            TEXT        NOT NULL CHECK (state IN ('planned', 'started', 'done', 'failed', 'uncertain')),
    attempts         BIGINT      NOT NULL DEFAULT 0,
    last_error       TEXT,
    odoo_ids         TEXT        NOT NULL DEFAULT '[]',
    document_path    TEXT,
    document_sha256  TEXT,
    recipients       TEXT        NOT NULL DEFAULT '[]',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX actions_run ON actions (run_id);
CREATE INDEX actions_state ON actions (state);

CREATE TABLE item_state (
    company_id   BIGINT NOT NULL,
    item_id      BIGINT NOT NULL,
    level_index  BIGINT NOT NULL,
    level_key    TEXT   NOT NULL,
    date         DATE   NOT NULL,
    PRIMARY KEY (company_id, item_id)
);

CREATE TABLE customer_state (
    company_id        BIGINT NOT NULL,
    customer_id       BIGINT NOT NULL,
    last_level_index  BIGINT,
    last_level_key    TEXT,
    last_date         DATE,
    marker_tag_id     BIGINT,
    PRIMARY KEY (company_id, customer_id)
);
