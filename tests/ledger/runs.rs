//! Runs and durability, proven the same way on SQLite and on PostgreSQL: `started` actions
//! survive a reopen (crash reconciliation), runs history, migrations applied once.
//! Each scenario runs twice (`sqlite::name`, `postgres::name`).

use crate::common::ledger::{Db, date, planned};
use pretty_assertions::assert_eq;
use relanced::ledger::{
    ActionFilter, ActionKind, ActionState, Completion, LedgerError, RunKind, RunStatus,
};

crate::ledger_suite!(
    started_actions_survive_a_reopen_for_crash_reconciliation,
    runs_history_lists_and_shows_runs,
    opening_twice_applies_migrations_once,
);

async fn started_actions_survive_a_reopen_for_crash_reconciliation(db: &Db) {
    let day = date(2026, 2, 3);
    let (run, in_flight) = {
        let ledger = db.open().await;
        let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
        let recorded = ledger
            .record_planned(
                run,
                &[
                    planned(1, 1, "amical", day, ActionKind::Email),
                    planned(2, 1, "amical", day, ActionKind::Email),
                    planned(3, 1, "amical", day, ActionKind::Email),
                ],
            )
            .await
            .unwrap();
        let ids: Vec<_> = recorded.iter().map(|r| r.action.id).collect();
        ledger.mark_started(ids[0]).await.unwrap();
        ledger
            .mark_done(ids[0], Completion::default())
            .await
            .unwrap();
        ledger.mark_started(ids[1]).await.unwrap();
        ledger.close().await; // the process "dies" here with ids[1] in flight
        (run, ids[1])
    };
    let ledger = db.open().await;
    let started = ledger
        .list_actions(ActionFilter {
            run: None,
            state: Some(ActionState::Started),
        })
        .await
        .unwrap();
    assert_eq!(
        started.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![in_flight]
    );
    assert_eq!(started[0].key, "c1/p2/lamical/2026-02-03/email");
    let planned_left = ledger
        .list_actions(ActionFilter {
            run: Some(run),
            state: Some(ActionState::Planned),
        })
        .await
        .unwrap();
    assert_eq!(planned_left.len(), 1);
    assert_eq!(ledger.interrupt_stale_runs().await.unwrap(), vec![run]);
    assert_eq!(
        ledger.run(run).await.unwrap().status,
        RunStatus::Interrupted
    );
}

async fn runs_history_lists_and_shows_runs(db: &Db) {
    let ledger = db.open().await;
    let first = ledger
        .begin_run(RunKind::Scheduled, date(2026, 1, 4))
        .await
        .unwrap();
    let summary = serde_json::json!({"customers": 12, "emails": 3, "letters": 1});
    ledger
        .finish_run(first, RunStatus::Done, &summary)
        .await
        .unwrap();
    let again = ledger
        .finish_run(first, RunStatus::Failed, &serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(again, LedgerError::RunNotRunning { .. }),
        "{again}"
    );
    let second = ledger
        .begin_run(RunKind::Approve, date(2026, 1, 5))
        .await
        .unwrap();
    ledger
        .record_planned(
            second,
            &[planned(3, 1, "amical", date(2026, 1, 5), ActionKind::Email)],
        )
        .await
        .unwrap();

    let runs = ledger.list_runs(10).await.unwrap();
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![second, first],
        "newest first"
    );
    assert_eq!(runs[1].status, RunStatus::Done);
    assert_eq!(runs[1].summary, Some(summary));
    assert!(runs[1].finished_at.is_some());
    assert_eq!(runs[0].kind, RunKind::Approve);
    assert_eq!(runs[0].as_of, date(2026, 1, 5));
    assert_eq!(runs[0].pid, i64::from(std::process::id()));
    assert_eq!(ledger.list_runs(1).await.unwrap().len(), 1);

    let (run, actions) = ledger.show_run(second).await.unwrap();
    assert_eq!(run.status, RunStatus::Running);
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].customer_id.get(), 3);
    assert!(matches!(
        ledger.show_run(relanced::ledger::RunId(9999)).await,
        Err(LedgerError::NotFound { .. })
    ));
}

async fn opening_twice_applies_migrations_once(db: &Db) {
    let first = db.open().await;
    let run = first
        .begin_run(RunKind::Once, date(2026, 3, 1))
        .await
        .unwrap();
    first.close().await;
    let second = db.open().await;
    let third = db.open().await;
    assert_eq!(
        second.run(run).await.unwrap().kind,
        RunKind::Once,
        "data kept across opens"
    );
    assert_eq!(third.list_runs(10).await.unwrap().len(), 1);
}
