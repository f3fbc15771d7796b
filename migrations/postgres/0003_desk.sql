-- The credit controller's desk (issue 12), PostgreSQL: personal paragraphs for a
-- customer's next reminder, and who approved an approval run.

-- A paragraph written for ONE customer's next reminder. At most one is `pending` per
-- customer; it becomes `used` in the transaction that records the communication that
-- carried it (with that action and its run), or `cleared` when removed or replaced.
CREATE TABLE customer_paragraphs (
    id                 BIGSERIAL   PRIMARY KEY,
    company_id         BIGINT      NOT NULL,
    customer_id        BIGINT      NOT NULL,
    text               TEXT        NOT NULL,
    state              TEXT        NOT NULL CHECK (state IN ('pending', 'used', 'cleared')),
    set_by_login       TEXT        NOT NULL,
    set_by_name        TEXT        NOT NULL,
    set_at             TIMESTAMPTZ NOT NULL,
    used_by_action_id  BIGINT      REFERENCES actions (id),
    used_in_run_id     BIGINT      REFERENCES runs (id),
    closed_by_login    TEXT,
    closed_at          TIMESTAMPTZ
);
CREATE UNIQUE INDEX customer_paragraphs_pending
    ON customer_paragraphs (company_id, customer_id) WHERE state = 'pending';

-- Who approved the manual levels an approval run executed.
CREATE TABLE run_approvals (
    run_id       BIGINT      PRIMARY KEY REFERENCES runs (id),
    login        TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    user_id      BIGINT,
    approved_at  TIMESTAMPTZ NOT NULL
);
