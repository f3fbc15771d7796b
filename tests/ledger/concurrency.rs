//! Two processes on one ledger: the run lock lets exactly one run at a time (and is
//! released by `release` or when the guard drops), and concurrent writers never surface
//! `database is locked`. Each scenario runs on SQLite and on PostgreSQL; each ledger
//! opened here has its own pools, like a second daemon would.

use std::time::Duration;

use crate::common::ledger::{Db, date, planned};
use relanced::ledger::{ActionKind, Completion, Ledger, RunKind};

crate::ledger_suite!(
    of_two_daemons_trying_the_run_lock_one_wins,
    the_run_lock_is_free_again_after_the_guard_drops,
    concurrent_writers_on_one_ledger_all_succeed,
    two_daemons_recording_the_same_keys_at_once_record_each_once,
);

async fn of_two_daemons_trying_the_run_lock_one_wins(db: &Db) {
    let (a, b) = (db.open().await, db.open().await);
    let (first, second) = tokio::join!(a.try_lock(), b.try_lock());
    let (first, second) = (first.unwrap(), second.unwrap());
    assert!(
        first.is_some() != second.is_some(),
        "exactly one wins: {first:?} / {second:?}"
    );
    let winner = first.or(second).unwrap();
    assert!(winner.is_held());
    assert!(
        a.try_lock().await.unwrap().is_none(),
        "held, even for the winner's own pool"
    );
    assert!(b.try_lock().await.unwrap().is_none());
    winner.release().await.unwrap();
    let next = b.try_lock().await.unwrap();
    assert!(next.is_some(), "free right after release");
}

async fn the_run_lock_is_free_again_after_the_guard_drops(db: &Db) {
    let (a, b) = (db.open().await, db.open().await);
    let guard = a.try_lock().await.unwrap().expect("free at first");
    assert!(b.try_lock().await.unwrap().is_none());
    drop(guard);
    // Release on drop happens in the background: poll for a bounded time.
    let mut taken = None;
    for _ in 0..100 {
        if let Some(guard) = b.try_lock().await.unwrap() {
            taken = Some(guard);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        taken.is_some(),
        "the lock was not released within 5 s of the guard's drop"
    );
}

/// Two "daemons" (separate pools), two tasks each, writing at the same time.
async fn concurrent_writers_on_one_ledger_all_succeed(db: &Db) {
    let ledgers = [db.open().await, db.open().await];
    let day = date(2026, 1, 4);
    let mut tasks = Vec::new();
    for (n, ledger) in ledgers.iter().chain(ledgers.iter()).enumerate() {
        let ledger: Ledger = ledger.clone();
        tasks.push(tokio::spawn(async move {
            let run = ledger.begin_run(RunKind::Once, day).await?;
            for customer in 0..25 {
                let customer = (n as i64) * 1000 + customer;
                let recorded = ledger
                    .record_planned(
                        run,
                        &[planned(customer, 1, "amical", day, ActionKind::Email)],
                    )
                    .await?;
                let id = recorded[0].action.id;
                ledger.mark_started(id).await?;
                ledger.mark_done(id, Completion::default()).await?;
            }
            Ok::<_, relanced::ledger::LedgerError>(())
        }));
    }
    for task in tasks {
        task.await
            .expect("task ran")
            .unwrap_or_else(|e| panic!("a writer failed: {e}"));
    }
    let all = ledgers[0].list_actions(Default::default()).await.unwrap();
    assert_eq!(all.len(), 100);
    assert!(
        all.iter()
            .all(|a| a.state == relanced::ledger::ActionState::Done)
    );
}

/// Two "daemons" plan the same communications at the same moment: each key is recorded
/// once, and exactly one of them sees it as new.
async fn two_daemons_recording_the_same_keys_at_once_record_each_once(db: &Db) {
    let (a, b) = (db.open().await, db.open().await);
    let day = date(2026, 1, 16);
    let (run_a, run_b) = (
        a.begin_run(RunKind::Scheduled, day).await.unwrap(),
        b.begin_run(RunKind::Scheduled, day).await.unwrap(),
    );
    let record = |ledger: Ledger, run| async move {
        let mut new = 0;
        for customer in 0..20 {
            let recorded = ledger
                .record_planned(
                    run,
                    &[planned(customer, 2, "standard", day, ActionKind::Email)],
                )
                .await
                .unwrap_or_else(|e| panic!("recording failed: {e}"));
            new += usize::from(!recorded[0].existing);
        }
        new
    };
    let (new_a, new_b) = tokio::join!(
        tokio::spawn(record(a.clone(), run_a)),
        tokio::spawn(record(b.clone(), run_b))
    );
    assert_eq!(
        new_a.unwrap() + new_b.unwrap(),
        20,
        "each key is new exactly once"
    );
    assert_eq!(a.list_actions(Default::default()).await.unwrap().len(), 20);
}
