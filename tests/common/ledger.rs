//! Shared helpers of the ledger tests: a fresh database per test (a SQLite file in a
//! temporary directory, or a database of the throwaway PostgreSQL cluster), and builders
//! for planned actions. The `ledger_suite!` macro runs one list of scenarios against both.

use super::pg;

use chrono::NaiveDate;
use relanced::ledger::{ActionKey, ActionKind, Ledger, NewAction, Occasion};

/// A fresh, empty ledger database that tests can open any number of times.
pub struct Db {
    pub url: String,
    /// Keeps the SQLite directory alive for the test's duration.
    pub dir: Option<tempfile::TempDir>,
}

impl Db {
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("state/ledger.db").display());
        Db {
            url,
            dir: Some(dir),
        }
    }

    /// `None` only when RELANCED_SKIP_PG=1; fails the test if PostgreSQL is missing.
    pub fn postgres() -> Option<Db> {
        pg::fresh_database_url().map(|url| Db { url, dir: None })
    }

    pub async fn open(&self) -> Ledger {
        Ledger::open(&self.url)
            .await
            .unwrap_or_else(|e| panic!("open {}: {e}", self.url))
    }
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A planned email at `level_key` for a customer of company 1, on `as_of`.
pub fn planned(
    customer: i64,
    level_index: u32,
    level_key: &str,
    as_of: NaiveDate,
    kind: ActionKind,
) -> NewAction {
    NewAction {
        key: ActionKey {
            company_id: 1.into(),
            customer_id: customer.into(),
            level_key: level_key.to_string(),
            occasion: Occasion::AsOf(as_of),
            kind,
            part: None,
        },
        level_index,
        recipients: vec![format!("billing{customer}@example.com")],
    }
}

/// Declares each scenario `async fn name(db: &Db)` as a test against SQLite and one
/// against PostgreSQL (multi-threaded runtime, as in the daemon).
#[macro_export]
macro_rules! ledger_suite {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = $crate::common::ledger::Db::sqlite();
                    super::$name(&db).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = $crate::common::ledger::Db::postgres() else { return };
                    super::$name(&db).await;
                }
            )+
        }
    };
}
