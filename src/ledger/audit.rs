//! The console's audit trail: one row per thing a person did or tried (login ok or
//! failed, postpone, exclude, paragraph, launch, approve, resolve): who (Odoo uid and
//! login), what (an action name and a short detail), when, from where (the client's
//! address). Append and list; nothing is ever updated or deleted. Never given a secret.

use chrono::{DateTime, Utc};

use super::{Ledger, LedgerError, with_reader, with_writer};

/// One entry to append.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// The Odoo user id; 0 when the login failed.
    pub uid: i64,
    pub login: String,
    /// `login`, `login_failed`, `launch`, `approve`, `resolve_sent`, `resend`…
    pub action: String,
    /// What it was about: a run, customers, a level (never a password nor a cookie).
    pub detail: String,
    /// The client's address (the proxy's `X-Forwarded-For` when trusted).
    pub address: String,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

impl Ledger {
    /// Appends `entry`, stamped now.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), LedgerError> {
        const OP: &str = "append audit entry";
        let key = format!("{} by {}", entry.action, entry.login);
        with_writer!(self, OP, key, |tx| async {
            sqlx::query(
                "INSERT INTO audit (at, uid, login, action, detail, address) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(Utc::now())
            .bind(entry.uid)
            .bind(&entry.login)
            .bind(&entry.action)
            .bind(&entry.detail)
            .bind(&entry.address)
            .execute(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            tx.commit().await.map_err(LedgerError::query(OP, &key))?;
            Ok(())
        }
        .await)
    }

    /// The last `limit` entries, newest first.
    pub async fn audit_trail(&self, limit: u32) -> Result<Vec<AuditRecord>, LedgerError> {
        const OP: &str = "list audit entries";
        type Row = (i64, DateTime<Utc>, i64, String, String, String, String);
        let rows: Vec<Row> = with_reader!(self, |pool| {
            sqlx::query_as(
                "SELECT id, at, uid, login, action, detail, address FROM audit \
                 ORDER BY id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, "audit"))?
        });
        Ok(rows
            .into_iter()
            .map(
                |(id, at, uid, login, action, detail, address)| AuditRecord {
                    id,
                    at,
                    entry: AuditEntry {
                        uid,
                        login,
                        action,
                        detail,
                        address,
                    },
                },
            )
            .collect())
    }
}
