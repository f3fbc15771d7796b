//! What only the PostgreSQL ledger does: its URL carries a password, which must never
//! show in messages, `Debug` output or connection errors.

use std::time::Duration;

use relanced::ledger::{Ledger, LedgerError, LedgerOptions};

#[tokio::test]
async fn the_database_password_never_shows() {
    let Some(db) = crate::common::ledger::Db::postgres() else {
        return;
    };
    // The throwaway cluster trusts local connections, so any password is accepted.
    let url = db.url.replace("postgres@", "postgres:hunter2-secret@");
    let ledger = Ledger::open(&url).await.unwrap();
    assert_eq!(ledger.backend_name(), "postgres");
    assert!(!ledger.target().contains("hunter2"), "{}", ledger.target());
    let debug = format!("{ledger:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    let guard = ledger.try_lock().await.unwrap().expect("free");
    assert!(!format!("{guard:?}").contains("hunter2"));
    guard.release().await.unwrap();

    // Nothing listens on port 1: the error names the target, without the password.
    let unreachable = "postgres://relanced:hunter2-secret@127.0.0.1:1/ledger";
    let quick = LedgerOptions {
        connect_timeout: Duration::from_secs(2),
        ..LedgerOptions::default()
    };
    let err = Ledger::open_with(unreachable, quick).await.unwrap_err();
    assert!(matches!(err, LedgerError::Connect { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("127.0.0.1:1"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
}
