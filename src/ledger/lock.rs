//! The run lock: two daemons (or a daemon and `relanced run --once`) on one ledger never
//! run at once. PostgreSQL: `pg_try_advisory_lock` held on a dedicated connection for the
//! whole run (the server frees it if the process dies). SQLite: a single `run_lock` row
//! with an owner and a lease (`expires_at_ms`) renewed by a heartbeat task; a crashed
//! daemon's row expires after `LedgerOptions::lock_lease` and is then taken over. (The
//! SQLite file lock alone is not enough: it is held per transaction, not per run.)
//! The lock is released by `RunGuard::release`, or, as a fallback, when the guard drops.
//! It must not be used to serialize ordinary writes: that is the writer connection's job.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use chrono::Utc;
use sqlx::{Connection, PgConnection, SqlitePool};
use tokio::task::JoinHandle;

use super::runs::host_name;
use super::{Backend, Ledger, LedgerError};

/// The advisory lock key of relanced ("relance" in ASCII). Advisory locks are per
/// database, so two ledgers in two databases of one server do not conflict.
pub const RUN_LOCK_KEY: i64 = 0x0072_656c_616e_6365;

/// Proof that this process holds the run lock. Release it with [`RunGuard::release`];
/// dropping it releases it too, in the background.
#[derive(Debug)]
pub struct RunGuard {
    owner: String,
    lost: Arc<AtomicBool>,
    held: Option<Held>,
}

enum Held {
    Sqlite {
        writer: SqlitePool,
        heartbeat: JoinHandle<()>,
    },
    Postgres {
        connection: PgConnection,
    },
}

/// Shows the kind of lock only (a connection's details stay out of logs).
impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Held::Sqlite { .. } => f.write_str("SqliteLeasedRow"),
            Held::Postgres { .. } => f.write_str("PgAdvisoryLock"),
        }
    }
}

/// A name for this lock holder: host, pid and a per-process sequence number.
fn new_owner() -> String {
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}/{}/{}-{}",
        host_name(),
        std::process::id(),
        Utc::now().timestamp_micros(),
        SEQUENCE.fetch_add(1, Ordering::Relaxed)
    )
}

fn lease_millis(lease: Duration) -> i64 {
    i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2)
}

impl Ledger {
    /// Takes the run lock if nobody holds it; `None` when another daemon runs.
    pub async fn try_lock(&self) -> Result<Option<RunGuard>, LedgerError> {
        const OP: &str = "try_lock";
        let owner = new_owner();
        let lost = Arc::new(AtomicBool::new(false));
        match &self.backend {
            Backend::Sqlite { writer, .. } => {
                // A holder on this host whose process is gone (killed, crashed) does not
                // keep the lock until its lease runs out: the next run takes over at once.
                let holder: Option<(String, String, i64)> =
                    sqlx::query_as("SELECT owner, host, pid FROM run_lock WHERE id = 1")
                        .fetch_optional(writer)
                        .await
                        .map_err(LedgerError::query(OP, "run_lock"))?;
                if let Some((old, host, pid)) = holder
                    && host == host_name()
                    && pid != i64::from(std::process::id())
                    && !std::path::Path::new(&format!("/proc/{pid}")).exists()
                {
                    sqlx::query(
                        "UPDATE run_lock SET expires_at_ms = 0 WHERE id = 1 AND owner = $1",
                    )
                    .bind(&old)
                    .execute(writer)
                    .await
                    .map_err(LedgerError::query(OP, "run_lock"))?;
                }
                let lease = lease_millis(self.options.lock_lease);
                let now = Utc::now();
                let taken = sqlx::query(
                    "INSERT INTO run_lock (id, owner, host, pid, acquired_at, expires_at_ms) \
                     VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET \
                     owner = excluded.owner, host = excluded.host, pid = excluded.pid, \
                     acquired_at = excluded.acquired_at, expires_at_ms = excluded.expires_at_ms \
                     WHERE run_lock.expires_at_ms < $6",
                )
                .bind(&owner)
                .bind(host_name())
                .bind(i64::from(std::process::id()))
                .bind(now)
                .bind(now.timestamp_millis().saturating_add(lease))
                .bind(now.timestamp_millis())
                .execute(writer)
                .await
                .map_err(LedgerError::query(OP, "run_lock"))?;
                if taken.rows_affected() != 1 {
                    return Ok(None);
                }
                let heartbeat = tokio::spawn(heartbeat(
                    writer.clone(),
                    owner.clone(),
                    self.options.lock_lease,
                    lost.clone(),
                ));
                Ok(Some(RunGuard {
                    owner,
                    lost,
                    held: Some(Held::Sqlite {
                        writer: writer.clone(),
                        heartbeat,
                    }),
                }))
            }
            Backend::Postgres { options, .. } => {
                let mut connection =
                    PgConnection::connect_with(options)
                        .await
                        .map_err(|source| LedgerError::Connect {
                            target: self.target.clone(),
                            source,
                        })?;
                let (locked,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock($1)")
                    .bind(RUN_LOCK_KEY)
                    .fetch_one(&mut connection)
                    .await
                    .map_err(LedgerError::query(
                        OP,
                        format!("advisory lock {RUN_LOCK_KEY}"),
                    ))?;
                if !locked {
                    // Closing is best effort: the server forgets this session either way.
                    let _ = connection.close().await;
                    return Ok(None);
                }
                Ok(Some(RunGuard {
                    owner,
                    lost,
                    held: Some(Held::Postgres { connection }),
                }))
            }
        }
    }
}

/// Renews the SQLite lease every third of it; flags the guard as lost if another
/// process took the lock over (this one was stalled longer than the lease).
async fn heartbeat(writer: SqlitePool, owner: String, lease: Duration, lost: Arc<AtomicBool>) {
    let period = (lease / 3).max(Duration::from_millis(10));
    loop {
        tokio::time::sleep(period).await;
        let renewed =
            sqlx::query("UPDATE run_lock SET expires_at_ms = $1 WHERE id = 1 AND owner = $2")
                .bind(
                    Utc::now()
                        .timestamp_millis()
                        .saturating_add(lease_millis(lease)),
                )
                .bind(&owner)
                .execute(&writer)
                .await;
        match renewed {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => {
                tracing::error!(owner = %owner, "run lock lost: another process took it over");
                lost.store(true, Ordering::SeqCst);
                return;
            }
            Err(error) => tracing::warn!(%error, "run lock heartbeat failed; retrying"),
        }
    }
}

async fn release_held(held: Held, owner: &str) -> Result<(), LedgerError> {
    const OP: &str = "release run lock";
    match held {
        Held::Sqlite { writer, heartbeat } => {
            heartbeat.abort();
            sqlx::query("DELETE FROM run_lock WHERE id = 1 AND owner = $1")
                .bind(owner)
                .execute(&writer)
                .await
                .map_err(LedgerError::query(OP, owner))?;
            Ok(())
        }
        Held::Postgres { mut connection } => {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(RUN_LOCK_KEY)
                .execute(&mut connection)
                .await
                .map_err(LedgerError::query(
                    OP,
                    format!("advisory lock {RUN_LOCK_KEY}"),
                ))?;
            connection.close().await.map_err(LedgerError::query(
                OP,
                format!("advisory lock {RUN_LOCK_KEY}"),
            ))
        }
    }
}

impl RunGuard {
    /// Who holds the lock (host/pid/sequence), as stored.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// `false` if the SQLite lease was lost to another process (this one stalled longer
    /// than the lease); the run should stop.
    pub fn is_held(&self) -> bool {
        self.held.is_some() && !self.lost.load(Ordering::SeqCst)
    }

    /// Releases the lock now.
    pub async fn release(mut self) -> Result<(), LedgerError> {
        match self.held.take() {
            Some(held) => release_held(held, &self.owner).await,
            None => Ok(()),
        }
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        let Some(held) = self.held.take() else {
            return;
        };
        if let Held::Sqlite { heartbeat, .. } = &held {
            heartbeat.abort();
        }
        // Without a runtime, dropping `held` closes the PostgreSQL connection (the server
        // frees the lock) and a SQLite lease simply expires.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let owner = std::mem::take(&mut self.owner);
            runtime.spawn(async move {
                if let Err(error) = release_held(held, &owner).await {
                    tracing::warn!(%error, "run lock not released on drop; it will expire");
                }
            });
        }
    }
}
