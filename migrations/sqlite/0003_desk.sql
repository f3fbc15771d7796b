-- The credit controller's desk (issue 12), SQLite: personal paragraphs for a customer's
-- next reminder, and who approved an approval run. Timestamps are RFC 3339 UTC text.

-- A paragraph written for ONE customer's next reminder. At most one is `pending` per
-- customer; it becomes `used` in the transaction that records the communication that
-- carried it (with that action and its run), or `cleared` when removed or replaced.
CREATE TABLE customer_paragraphs (
    id                 INTEGER PRIMARY KEY,
    company_id         INTEGER NOT NULL,
    customer_id        INTEGER NOT NULL,
    text               TEXT    NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN ('pending', 'used', 'cleared')),
    set_by_login       TEXT    NOT NULL,
    set_by_name        TEXT    NOT NULL,
    set_at             TEXT    NOT NULL,
    used_by_action_id  INTEGER REFERENCES actions (id),
    used_in_run_id     INTEGER REFERENCES runs (id),
    closed_by_login    TEXT,
    closed_at          TEXT
);
CREATE UNIQUE INDEX customer_paragraphs_pending
    ON customer_paragraphs (company_id, customer_id) WHERE state = 'pending';

-- Who approved the manual levels an approval run executed.
CREATE TABLE run_approvals (
    run_id       INTEGER PRIMARY KEY REFERENCES runs (id),
    login        TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    user_id      INTEGER,
    approved_at  TEXT    NOT NULL
);
