-- The console's audit trail: who did what, when, from where (login ok/failed, postpone,
-- exclude, paragraph, launch, approve, resolve). Append-only; no user table: `login` is
-- the Odoo login the person gave (0 as uid when the login failed).

CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT    NOT NULL,
    uid      INTEGER NOT NULL,
    login    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    detail   TEXT    NOT NULL,
    address  TEXT    NOT NULL
);
CREATE INDEX audit_at ON audit (at);
