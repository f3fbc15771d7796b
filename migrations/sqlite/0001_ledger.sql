-- relanced ledger, SQLite. Timestamps are RFC 3339 UTC text, dates are YYYY-MM-DD text,
-- lists (odoo_ids, recipients) and the run summary are JSON text.

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT,
    as_of        TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('scheduled', 'once', 'launch', 'approve')),
    status       TEXT    NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
    summary      TEXT,
    host         TEXT    NOT NULL,
    pid          INTEGER NOT NULL
);
CREATE INDEX runs_status ON runs (status);

CREATE TABLE actions (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES runs (id),
    idempotency_key  TEXT    NOT NULL UNIQUE,
    company_id       INTEGER NOT NULL,
    customer_id      INTEGER NOT NULL,
    level_index      INTEGER NOT NULL,
    level_key        TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('email', 'letter', 'attachment', 'note', 'activity', 'marker', 'state')),
    state            TEXT    NOT NULL CHECK (state IN ('planned', 'started', 'done', 'failed', 'uncertain')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    odoo_ids         TEXT    NOT NULL DEFAULT '[]',
    document_path    TEXT,
    document_sha256  TEXT,
    recipients       TEXT    NOT NULL DEFAULT '[]',
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX actions_run ON actions (run_id);
CREATE INDEX actions_state ON actions (state);

CREATE TABLE item_state (
    company_id   INTEGER NOT NULL,
    item_id      INTEGER NOT NULL,
    level_index  INTEGER NOT NULL,
    level_key    TEXT    NOT NULL,
    date         TEXT    NOT NULL,
    PRIMARY KEY (company_id, item_id)
);

CREATE TABLE customer_state (
    company_id        INTEGER NOT NULL,
    customer_id       INTEGER NOT NULL,
    last_level_index  INTEGER,
    last_level_key    TEXT,
    last_date         TEXT,
    marker_tag_id     INTEGER,
    PRIMARY KEY (company_id, customer_id)
);

-- At most one row (id = 1): the daemon holding the run lock, until expires_at_ms
-- (milliseconds since the Unix epoch), renewed by a heartbeat while the run lasts.
CREATE TABLE run_lock (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    owner          TEXT    NOT NULL,
    host           TEXT    NOT NULL,
    pid            INTEGER NOT NULL,
    acquired_at    TEXT    NOT NULL,
    expires_at_ms  INTEGER NOT NULL
);
