//! Typed errors of the ledger. Each error names the operation and the key it was working
//! on (run id, action id or idempotency key, customer) and, where it helps, what to do.
//! They never contain a database password: URLs are shown with the password removed.

use std::path::PathBuf;

use super::model::ActionState;

/// Everything that can go wrong in the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The ledger URL is neither `sqlite://PATH` nor `postgres://…`.
    #[error(
        "ledger URL `{url}` is not supported: use `sqlite://PATH` (for example \
         sqlite:///var/lib/relanced/ledger.db) or `postgres://USER@HOST/DATABASE`"
    )]
    UnsupportedUrl { url: String },

    /// The directory or file of a SQLite ledger could not be created.
    #[error(
        "cannot create the ledger {what} {path}: {source}; check the permissions of its parent directory"
    )]
    CreatePath {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },

    /// The database could not be reached.
    #[error("cannot open the ledger at {target}: {source}")]
    Connect { target: String, source: sqlx::Error },

    /// The embedded schema migrations could not be applied.
    #[error(
        "cannot apply the ledger schema migrations on {target}: {source}; \
         a ledger written by a newer relanced cannot be opened by an older one"
    )]
    Migrate {
        target: String,
        source: sqlx::migrate::MigrateError,
    },

    /// A query failed.
    #[error("ledger {operation} failed for {key}: {source}")]
    Query {
        operation: &'static str,
        key: String,
        source: sqlx::Error,
    },

    /// A state transition was refused because the action is not in an expected state
    /// (a second `mark_done`, a `mark_started` on a finished action…).
    #[error(
        "ledger {operation}: action {action_id} ({key}) is `{actual}`, expected one of \
         [{expected}]; it was not changed (another process may have handled it)"
    )]
    Transition {
        operation: &'static str,
        action_id: i64,
        key: String,
        actual: ActionState,
        expected: String,
    },

    /// A run could not be finished because it is no longer `running`.
    #[error("ledger {operation}: run {run_id} is `{actual}`, not `running`; it was not changed")]
    RunNotRunning {
        operation: &'static str,
        run_id: i64,
        actual: String,
    },

    /// A row the operation needs does not exist.
    #[error("ledger {operation}: {what} {id} does not exist")]
    NotFound {
        operation: &'static str,
        what: &'static str,
        id: String,
    },

    /// A stored value could not be understood (edited by hand, or written by another tool).
    #[error("ledger {operation}: corrupt value in {column} for {key}: {detail}")]
    Corrupt {
        operation: &'static str,
        column: &'static str,
        key: String,
        detail: String,
    },

    /// A value given by the caller cannot be stored.
    #[error("ledger {operation}: invalid {field} for {key}: {detail}")]
    Invalid {
        operation: &'static str,
        field: &'static str,
        key: String,
        detail: String,
    },
}

impl LedgerError {
    /// Wraps a `sqlx` error with the operation and key it happened on.
    pub(crate) fn query(
        operation: &'static str,
        key: impl ToString,
    ) -> impl FnOnce(sqlx::Error) -> Self {
        let key = key.to_string();
        move |source| LedgerError::Query {
            operation,
            key,
            source,
        }
    }

    /// Whether this error is SQLite's `database is locked` / `busy`, which a writer waits out.
    pub(crate) fn is_busy(&self) -> bool {
        match self {
            LedgerError::Query { source, .. } => is_busy(source),
            _ => false,
        }
    }
}

/// Whether a `sqlx` error is SQLite's SQLITE_BUSY / SQLITE_LOCKED (primary codes 5 and 6,
/// extended codes included). PostgreSQL errors are never "busy".
pub(crate) fn is_busy(error: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = error else {
        return false;
    };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_none() {
        return false;
    }
    let primary = db
        .code()
        .as_deref()
        .and_then(|c| c.parse::<i64>().ok())
        .map(|c| c & 0xff);
    matches!(primary, Some(5) | Some(6))
}

/// Removes the password from a database URL before it is shown anywhere.
pub(crate) fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            // Setting a password only fails for URLs that cannot have one, and this one has one.
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        // Not a URL: hide everything before a possible `@` (it may be `user:password`).
        Err(_) => match raw.rfind('@') {
            Some(at) => format!("…{}", &raw[at..]),
            None => raw.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_removed_from_urls() {
        let shown = redact_url("postgres://relanced:hunter2@db.example.com:5432/ledger");
        assert_eq!(shown, "postgres://relanced:***@db.example.com:5432/ledger");
        assert_eq!(
            redact_url("postgres://relanced@db/ledger"),
            "postgres://relanced@db/ledger"
        );
        let garbled = redact_url("post gres://relanced:hunter2@db/ledger");
        assert!(!garbled.contains("hunter2"), "{garbled}");
    }
}
