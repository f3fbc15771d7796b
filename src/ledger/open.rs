//! Opening a ledger: URL parsing, creating a SQLite file in a private (0700) directory,
//! connection settings (WAL, `synchronous=FULL`, `busy_timeout`, foreign keys, one writer),
//! and the embedded schema migrations, applied at every open (applying them twice is a
//! no-op). It must not touch the data itself.

use std::borrow::Cow;
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::error::redact_url;
use super::{Backend, Ledger, LedgerError, LedgerOptions};

/// The SQLite schema, embedded at build time.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "ledger",
        include_str!("../../migrations/sqlite/0001_ledger.sql"),
    ),
    (
        2,
        "console",
        include_str!("../../migrations/sqlite/0002_console.sql"),
    ),
    (
        3,
        "desk",
        include_str!("../../migrations/sqlite/0003_desk.sql"),
    ),
];

/// The PostgreSQL schema, embedded at build time.
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "ledger",
        include_str!("../../migrations/postgres/0001_ledger.sql"),
    ),
    (
        2,
        "console",
        include_str!("../../migrations/postgres/0002_console.sql"),
    ),
    (
        3,
        "desk",
        include_str!("../../migrations/postgres/0003_desk.sql"),
    ),
];

fn migrator(migrations: &'static [(i64, &'static str, &'static str)]) -> Migrator {
    Migrator::with_migrations(
        migrations
            .iter()
            .map(|(version, description, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    (*sql).into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// Where a ledger URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Parses `sqlite://PATH` (`sqlite:///abs/path` or `sqlite://relative/path`; `sqlite:PATH`
/// is accepted too) and `postgres://…` / `postgresql://…`.
pub(crate) fn parse_location(url: &str) -> Result<Location, LedgerError> {
    let unsupported = || LedgerError::UnsupportedUrl {
        url: redact_url(url),
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Location::Postgres(url.to_string()));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(unsupported)?;
    if path.is_empty() || path.contains('?') || path == ":memory:" {
        return Err(unsupported());
    }
    Ok(Location::Sqlite(PathBuf::from(path)))
}

impl Ledger {
    /// Opens (creating it if needed) the ledger at `url` with default options.
    pub async fn open(url: &str) -> Result<Ledger, LedgerError> {
        Ledger::open_with(url, LedgerOptions::default()).await
    }

    /// Opens (creating it if needed) the ledger at `url` and applies the migrations.
    pub async fn open_with(url: &str, options: LedgerOptions) -> Result<Ledger, LedgerError> {
        match parse_location(url)? {
            Location::Sqlite(path) => open_sqlite(&path, options).await,
            Location::Postgres(url) => open_postgres(&url, options).await,
        }
    }
}

/// Creates the parent directory (mode 0700: the ledger holds customer data) and the file
/// (mode 0600) if they do not exist. An existing directory is left as it is.
fn prepare_sqlite_file(path: &Path) -> Result<(), LedgerError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| LedgerError::CreatePath {
                what: "directory",
                path: dir.to_path_buf(),
                source,
            })?;
    }
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)
        .map_err(|source| LedgerError::CreatePath {
            what: "file",
            path: path.to_path_buf(),
            source,
        })?;
    Ok(())
}

async fn open_sqlite(path: &Path, options: LedgerOptions) -> Result<Ledger, LedgerError> {
    let target = format!("sqlite://{}", path.display());
    prepare_sqlite_file(path)?;
    let connect = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(options.busy_timeout)
        .foreign_keys(true);
    let connect_error = |source| LedgerError::Connect {
        target: target.clone(),
        source,
    };
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(options.connect_timeout)
        .connect_with(connect.clone())
        .await
        .map_err(connect_error)?;
    migrator(SQLITE_MIGRATIONS)
        .run(&writer)
        .await
        .map_err(|source| LedgerError::Migrate {
            target: target.clone(),
            source,
        })?;
    let reader = SqlitePoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(options.connect_timeout)
        .connect_with(connect)
        .await
        .map_err(connect_error)?;
    Ok(Ledger {
        backend: Backend::Sqlite { writer, reader },
        options,
        target,
        clock: Default::default(),
        group: Default::default(),
    })
}

async fn open_postgres(url: &str, options: LedgerOptions) -> Result<Ledger, LedgerError> {
    let target = redact_url(url);
    let connect = PgConnectOptions::from_str(url).map_err(|source| LedgerError::Connect {
        target: target.clone(),
        source,
    })?;
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(options.connect_timeout)
        .connect_with(connect.clone())
        .await
        .map_err(|source| LedgerError::Connect {
            target: target.clone(),
            source,
        })?;
    migrator(POSTGRES_MIGRATIONS)
        .run(&pool)
        .await
        .map_err(|source| LedgerError::Migrate {
            target: target.clone(),
            source,
        })?;
    Ok(Ledger {
        backend: Backend::Postgres {
            pool,
            options: Box::new(connect),
        },
        options,
        target,
        clock: Default::default(),
        group: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_a_file() {
        assert_eq!(
            parse_location("sqlite:///var/lib/relanced/ledger.db").ok(),
            Some(Location::Sqlite(PathBuf::from(
                "/var/lib/relanced/ledger.db"
            )))
        );
        assert_eq!(
            parse_location("sqlite:ledger.db").ok(),
            Some(Location::Sqlite(PathBuf::from("ledger.db")))
        );
    }

    #[test]
    fn other_urls_are_refused_without_their_password() {
        let err = parse_location("mysql://bob:s3cret@db/ledger").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("not supported"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(parse_location("sqlite://").is_err());
        assert!(parse_location("sqlite::memory:").is_err());
    }

    #[test]
    fn postgres_urls_are_kept_whole() {
        assert_eq!(
            parse_location("postgres://relanced@localhost/ledger").ok(),
            Some(Location::Postgres(
                "postgres://relanced@localhost/ledger".into()
            ))
        );
    }
}
