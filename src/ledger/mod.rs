//! The ledger: what relanced did and decided, on disk, so that it is crash-safe and
//! auditable. It stores runs, one row per side effect (an *action*, with a unique
//! idempotency key and the state machine `planned → started → done | failed | uncertain`),
//! and the follow-up state the engine needs (per-item last level, per-customer last
//! communication and marker). SQLite by default (`sqlite://PATH`), PostgreSQL as an option
//! (`postgres://…`); both run the same SQL and the same test suite.
//!
//! It must not decide anything (that is `followup`) nor talk to Odoo or SMTP (that is
//! `deliver`); it never panics and never logs a password.
//!
//! Concurrency rules: on SQLite there is ONE writer connection per process (WAL lets
//! readers go on) and a `busy_timeout`, and every write transaction starts with
//! `BEGIN IMMEDIATE`, so two processes on one file wait for each other instead of failing;
//! every state transition is one `UPDATE … WHERE state IN (expected)`, so a double
//! transition is detected and reported, never applied twice. Two daemons never run at
//! once: see [`RunGuard`] (an advisory lock on PostgreSQL, a leased lock row on SQLite).
//!
//! Start-up order for a run: `try_lock` (give up if `None`), `interrupt_stale_runs`,
//! reconcile the `started` actions (`list_actions`), then `begin_run`. Timestamps
//! (`created_at`, `started_at`…) are audit times from the wall clock; the business date
//! of a run is its `as_of`, given by the caller.

mod actions;
mod audit;
mod batch;
mod desk;
mod engine_state;
mod error;
mod group;
mod key;
mod lock;
mod model;
mod open;
mod rows;
mod runs;
mod state;

use std::time::Duration;

pub use audit::{AuditEntry, AuditRecord};
pub use desk::{Approver, Paragraph, ParagraphState};
pub use error::LedgerError;
pub use key::{ActionKey, ActionKeyError, Occasion};
pub use lock::RunGuard;
pub use model::{
    Action, ActionFilter, ActionId, ActionKind, ActionState, CommunicationDone, Completion,
    CustomerRef, CustomerState, FollowupState, ItemRef, LastCommunication, NewAction, Recorded,
    Resolution, Run, RunId, RunKind, RunStatus, StoredItemLevel,
};

/// Tuning of a ledger; the defaults suit the daemon.
#[derive(Debug, Clone)]
pub struct LedgerOptions {
    /// How long a SQLite writer waits for another one before giving up.
    pub busy_timeout: Duration,
    /// SQLite run lock: how long the lock stays valid without a heartbeat (a crashed
    /// daemon's lock is taken over after this).
    pub lock_lease: Duration,
    /// Maximum connections of a PostgreSQL pool, or of the SQLite readers' pool.
    pub max_connections: u32,
    /// How long to keep trying to get a connection (at open and for each operation)
    /// before reporting the database unreachable.
    pub connect_timeout: Duration,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            busy_timeout: Duration::from_secs(30),
            lock_lease: Duration::from_secs(60),
            max_connections: 4,
            connect_timeout: Duration::from_secs(30),
        }
    }
}

/// The database behind a ledger.
#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite {
        /// The only connection that writes (pool of one).
        writer: sqlx::SqlitePool,
        /// Readers (WAL: they never block the writer).
        reader: sqlx::SqlitePool,
    },
    Postgres {
        pool: sqlx::PgPool,
        /// For the run lock's dedicated connection.
        options: Box<sqlx::postgres::PgConnectOptions>,
    },
}

/// Shows only the kind of backend: connection options hold the database password.
impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Backend::Sqlite { .. } => f.write_str("Sqlite"),
            Backend::Postgres { .. } => f.write_str("Postgres"),
        }
    }
}

/// An open ledger. Cheap to clone (pools are shared).
#[derive(Debug, Clone)]
pub struct Ledger {
    pub(crate) backend: Backend,
    pub(crate) options: LedgerOptions,
    /// The URL with its password removed, for messages.
    pub(crate) target: String,
    /// Time spent in transactions and queries.
    pub(crate) clock: std::sync::Arc<crate::timing::Stopwatch>,
    /// Moves waiting for the next group transaction (`group.rs`).
    pub(crate) group: std::sync::Arc<group::Group>,
}

impl Ledger {
    /// Time spent in this ledger's transactions and queries so far, and how many.
    pub fn time_spent(&self) -> crate::timing::Lap {
        self.clock.lap()
    }

    /// Where this ledger lives, password removed (for logs and messages).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }

    /// Closes the pools, waiting for connections to finish.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { writer, reader } => {
                reader.close().await;
                writer.close().await;
            }
            Backend::Postgres { pool, .. } => pool.close().await,
        }
    }
}

/// Runs `$body` with `$pool` bound to the pool that reads, whatever the backend. The body
/// is compiled once per backend, so it must only use SQL both understand (`$1` parameters,
/// `ON CONFLICT`, `RETURNING`).
macro_rules! with_reader {
    ($ledger:expr, |$pool:ident| $body:expr) => {{
        let started = std::time::Instant::now();
        let out = match &$ledger.backend {
            $crate::ledger::Backend::Sqlite { reader, .. } => {
                let $pool = reader;
                $body
            }
            $crate::ledger::Backend::Postgres { pool, .. } => {
                let $pool = pool;
                $body
            }
        };
        $ledger.clock.add(started.elapsed());
        out
    }};
}

/// Runs `$body` with `$tx` bound to a write transaction (`BEGIN IMMEDIATE` on SQLite, so
/// the write lock is taken first and a concurrent writer waits instead of failing). The body
/// must commit; dropping the transaction rolls it back. On SQLite, a `database is locked`
/// that outlasted `busy_timeout` is retried a few times before it is reported.
macro_rules! with_writer {
    ($ledger:expr, $operation:expr, $key:expr, |$tx:ident| $body:expr) => {{
        let started = std::time::Instant::now();
        let mut attempt: u32 = 0;
        let out = loop {
            let result: Result<_, $crate::ledger::LedgerError> = match &$ledger.backend {
                $crate::ledger::Backend::Sqlite { writer, .. } => {
                    match writer.begin_with("BEGIN IMMEDIATE").await {
                        Ok(mut $tx) => $body,
                        Err(e) => Err($crate::ledger::LedgerError::query($operation, &$key)(e)),
                    }
                }
                $crate::ledger::Backend::Postgres { pool, .. } => match pool.begin().await {
                    Ok(mut $tx) => $body,
                    Err(e) => Err($crate::ledger::LedgerError::query($operation, &$key)(e)),
                },
            };
            match result {
                Err(e) if e.is_busy() && attempt < 3 => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50 * u64::from(attempt)))
                        .await;
                }
                other => break other,
            }
        };
        $ledger.clock.add(started.elapsed());
        out
    }};
}

pub(crate) use {with_reader, with_writer};
