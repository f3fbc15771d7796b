//! What only the SQLite ledger does: a private directory and file, WAL with
//! `synchronous=FULL`, a leased run lock that a crashed daemon cannot keep forever, and
//! clear errors for a URL or a path it cannot use.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use crate::common::ledger::{date, planned};
use relanced::ledger::{ActionKind, Ledger, LedgerError, LedgerOptions, RunKind};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_ledger_directory_is_created_private_and_the_file_owner_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("var/lib/relanced");
    let file = dir.join("ledger.db");
    let ledger = Ledger::open(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    ledger
        .begin_run(RunKind::Once, date(2026, 1, 4))
        .await
        .unwrap();
    assert_eq!(mode(&dir), 0o700, "directory mode");
    assert_eq!(
        mode(&tmp.path().join("var/lib")),
        0o700,
        "created parents too"
    );
    assert_eq!(mode(&file), 0o600, "file mode");
    let wal = dir.join("ledger.db-wal");
    assert!(wal.exists(), "WAL journal in use");
    assert_eq!(mode(&wal), 0o600, "the journal inherits the file's mode");
}

#[tokio::test]
async fn an_existing_directory_keeps_its_mode() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o750)).unwrap();
    let url = format!("sqlite://{}", tmp.path().join("ledger.db").display());
    Ledger::open(&url).await.unwrap();
    assert_eq!(mode(tmp.path()), 0o750);
}

#[tokio::test]
async fn a_crashed_daemons_lock_is_taken_over_after_its_lease() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("ledger.db").display());
    let options = LedgerOptions {
        lock_lease: Duration::from_millis(300),
        ..LedgerOptions::default()
    };
    let crashed = Ledger::open_with(&url, options.clone()).await.unwrap();
    let other = Ledger::open_with(&url, options).await.unwrap();
    let guard = crashed.try_lock().await.unwrap().expect("free at first");

    // While the heartbeat runs, the lease is renewed: still held after two leases.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(
        other.try_lock().await.unwrap().is_none(),
        "a live holder keeps the lock"
    );

    // The holder "dies": its connections go away and the heartbeat can no longer renew.
    crashed.close().await;
    std::mem::forget(guard);
    let mut taken = None;
    for _ in 0..40 {
        if let Some(g) = other.try_lock().await.unwrap() {
            taken = Some(g);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let taken = taken.expect("lock taken over within 2 s of the lease's end");
    assert!(taken.is_held());
}

#[tokio::test]
async fn a_holder_whose_lock_was_taken_over_knows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("ledger.db").display());
    let options = LedgerOptions {
        lock_lease: Duration::from_millis(300),
        ..LedgerOptions::default()
    };
    let ledger = Ledger::open_with(&url, options).await.unwrap();
    let guard = ledger.try_lock().await.unwrap().expect("free at first");
    assert!(guard.is_held());

    // Another process took the lock over (as it would after this one stalled past its lease).
    use sqlx::Connection;
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("UPDATE run_lock SET owner = 'other-host/1/1-0', expires_at_ms = 9000000000000")
        .execute(&mut other)
        .await
        .unwrap();
    let mut lost = false;
    for _ in 0..40 {
        if !guard.is_held() {
            lost = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(lost, "the heartbeat noticed the takeover within 2 s");
    // Releasing a lost lock must not free the new holder's.
    guard.release().await.unwrap();
    assert!(ledger.try_lock().await.unwrap().is_none());
}

#[tokio::test]
async fn a_writer_waits_for_another_process_transaction_instead_of_failing() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("ledger.db").display());
    let ledger = Ledger::open(&url).await.unwrap();
    let day = date(2026, 1, 4);
    let run = ledger.begin_run(RunKind::Once, day).await.unwrap();

    // Another process holds the write lock for 500 ms.
    use sqlx::Connection;
    let mut intruder = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut intruder)
        .await
        .unwrap();
    sqlx::query("UPDATE runs SET host = 'intruder'")
        .execute(&mut intruder)
        .await
        .unwrap();
    let hold = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        sqlx::query("COMMIT").execute(&mut intruder).await.unwrap();
    });
    let recorded = ledger
        .record_planned(run, &[planned(1, 1, "amical", day, ActionKind::Email)])
        .await
        .expect("waited for the lock, no `database is locked`");
    assert_eq!(recorded.len(), 1);
    hold.await.unwrap();
}

#[tokio::test]
async fn unusable_urls_and_paths_are_refused_clearly() {
    let mysql = Ledger::open("mysql://bob:s3cret@db/ledger")
        .await
        .unwrap_err();
    assert!(matches!(mysql, LedgerError::UnsupportedUrl { .. }));
    assert!(!mysql.to_string().contains("s3cret"), "{mysql}");

    let tmp = tempfile::tempdir().unwrap();
    let blocker = tmp.path().join("not-a-dir");
    std::fs::write(&blocker, b"x").unwrap();
    let url = format!("sqlite://{}", blocker.join("ledger.db").display());
    let err = Ledger::open(&url).await.unwrap_err();
    assert!(matches!(err, LedgerError::CreatePath { .. }), "{err}");
    assert!(
        err.to_string().contains("not-a-dir"),
        "names the path: {err}"
    );
}
