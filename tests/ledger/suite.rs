//! The ledger's actions and follow-up state, proven the same way on SQLite and on
//! PostgreSQL: idempotent recording, the action state machine, uncertain actions, the
//! per-item / per-customer state. Each scenario runs twice (`sqlite::name`,
//! `postgres::name`).

use crate::common::ledger::{Db, date, planned};
use pretty_assertions::assert_eq;
use relanced::ledger::{
    ActionFilter, ActionKind, ActionState, CommunicationDone, Completion, LastCommunication,
    LedgerError, Occasion, Resolution, RunKind, StoredItemLevel,
};

crate::ledger_suite!(
    recording_the_same_key_twice_returns_the_first_action,
    illegal_transitions_are_rejected_and_leave_the_action_unchanged,
    uncertain_actions_wait_for_a_person,
    item_and_customer_state_round_trip,
    keys_name_the_communication_and_ambiguous_parts_are_refused,
    a_communication_on_an_action_not_started_writes_nothing,
    concurrent_moves_share_a_transaction_and_a_refused_one_is_refused_alone,
);

async fn recording_the_same_key_twice_returns_the_first_action(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 1, 4);
    let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
    let first = ledger
        .record_planned(
            run,
            &[
                planned(42, 1, "amical", day, ActionKind::Email),
                planned(42, 1, "amical", day, ActionKind::Note),
            ],
        )
        .await
        .unwrap();
    assert!(
        first
            .iter()
            .all(|r| !r.existing && r.action.state == ActionState::Planned)
    );
    assert_eq!(first[0].action.key, "c1/p42/lamical/2026-01-04/email");
    assert_eq!(
        first[0].action.recipients,
        vec!["billing42@example.com".to_string()]
    );

    let email = first[0].action.id;
    ledger.mark_started(email).await.unwrap();
    ledger
        .mark_done(email, Completion::default())
        .await
        .unwrap();

    // A second run the same day plans the same communication plus a new customer.
    let rerun = ledger.begin_run(RunKind::Once, day).await.unwrap();
    let second = ledger
        .record_planned(
            rerun,
            &[
                planned(42, 1, "amical", day, ActionKind::Email),
                planned(7, 1, "amical", day, ActionKind::Email),
            ],
        )
        .await
        .unwrap();
    assert!(second[0].existing, "the known key is reported as existing");
    assert_eq!(second[0].action.id, email);
    assert_eq!(
        second[0].action.state,
        ActionState::Done,
        "its state is returned as it is"
    );
    assert_eq!(
        second[0].action.run_id, run,
        "it stays attached to the run that planned it"
    );
    assert!(!second[1].existing);

    let all = ledger.list_actions(ActionFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3, "nothing duplicated: {all:#?}");
}

async fn illegal_transitions_are_rejected_and_leave_the_action_unchanged(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 1, 16);
    let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
    let recorded = ledger
        .record_planned(run, &[planned(9, 2, "standard", day, ActionKind::Email)])
        .await
        .unwrap();
    let id = recorded[0].action.id;

    let early = ledger
        .mark_done(id, Completion::default())
        .await
        .unwrap_err();
    match &early {
        LedgerError::Transition {
            operation,
            actual,
            key,
            ..
        } => {
            assert_eq!(*operation, "mark_done");
            assert_eq!(*actual, ActionState::Planned);
            assert_eq!(key, "c1/p9/lstandard/2026-01-16/email");
        }
        other => panic!("expected a transition error, got {other}"),
    }
    assert!(
        early
            .to_string()
            .contains("c1/p9/lstandard/2026-01-16/email"),
        "{early}"
    );

    let started = ledger.mark_started(id).await.unwrap();
    assert_eq!((started.state, started.attempts), (ActionState::Started, 1));
    assert!(matches!(
        ledger.mark_started(id).await,
        Err(LedgerError::Transition {
            actual: ActionState::Started,
            ..
        })
    ));

    let completion = Completion {
        odoo_ids: vec![501, 502],
        document_path: Some("outbox/c1-p9.pdf".into()),
        document_sha256: Some("ab".repeat(32)),
    };
    let done = ledger.mark_done(id, completion.clone()).await.unwrap();
    assert_eq!(done.state, ActionState::Done);
    assert_eq!(done.odoo_ids, completion.odoo_ids);
    assert_eq!(done.document_path, completion.document_path);
    assert_eq!(done.document_sha256, completion.document_sha256);

    // A double completion is detected, and changes nothing.
    let twice = ledger
        .mark_done(
            id,
            Completion {
                odoo_ids: vec![999],
                ..Completion::default()
            },
        )
        .await;
    assert!(
        matches!(
            twice,
            Err(LedgerError::Transition {
                actual: ActionState::Done,
                ..
            })
        ),
        "{twice:?}"
    );
    assert!(matches!(
        ledger.mark_failed(id, "late").await,
        Err(LedgerError::Transition { .. })
    ));
    assert!(matches!(
        ledger.mark_uncertain(id, "late").await,
        Err(LedgerError::Transition { .. })
    ));
    let unchanged = ledger.action(id).await.unwrap();
    assert_eq!(unchanged, done);

    // A failed action may be retried; attempts are counted.
    let other = ledger
        .record_planned(run, &[planned(10, 2, "standard", day, ActionKind::Letter)])
        .await
        .unwrap();
    let other = other[0].action.id;
    ledger.mark_started(other).await.unwrap();
    let failed = ledger
        .mark_failed(other, "SMTP 550 mailbox unavailable")
        .await
        .unwrap();
    assert_eq!(
        failed.last_error.as_deref(),
        Some("SMTP 550 mailbox unavailable")
    );
    assert_eq!(ledger.mark_started(other).await.unwrap().attempts, 2);

    let missing = ledger
        .mark_started(relanced::ledger::ActionId(424242))
        .await
        .unwrap_err();
    assert!(matches!(missing, LedgerError::NotFound { .. }), "{missing}");
}

async fn uncertain_actions_wait_for_a_person(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 1, 31);
    let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
    let recorded = ledger
        .record_planned(
            run,
            &[
                planned(1, 3, "urgent", day, ActionKind::Email),
                planned(2, 3, "urgent", day, ActionKind::Email),
            ],
        )
        .await
        .unwrap();
    let (sent, resend) = (recorded[0].action.id, recorded[1].action.id);
    for id in [sent, resend] {
        ledger.mark_started(id).await.unwrap();
        ledger
            .mark_uncertain(id, "connection lost during SMTP DATA")
            .await
            .unwrap();
    }
    // Uncertain is never retried automatically.
    assert!(matches!(
        ledger.mark_started(sent).await,
        Err(LedgerError::Transition {
            actual: ActionState::Uncertain,
            ..
        })
    ));
    let waiting = ledger
        .list_actions(ActionFilter {
            state: Some(ActionState::Uncertain),
            run: None,
        })
        .await
        .unwrap();
    assert_eq!(
        waiting.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![sent, resend]
    );

    assert_eq!(
        ledger.resolve(sent, Resolution::Sent).await.unwrap().state,
        ActionState::Done
    );
    assert_eq!(
        ledger
            .resolve(resend, Resolution::Resend)
            .await
            .unwrap()
            .state,
        ActionState::Planned
    );
    assert!(matches!(
        ledger.resolve(sent, Resolution::Resend).await,
        Err(LedgerError::Transition {
            actual: ActionState::Done,
            ..
        })
    ));
    assert_eq!(ledger.mark_started(resend).await.unwrap().attempts, 2);
}

async fn item_and_customer_state_round_trip(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 1, 31);
    let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
    let recorded = ledger
        .record_planned(run, &[planned(42, 3, "urgent", day, ActionKind::Letter)])
        .await
        .unwrap();
    let action = recorded[0].action.id;
    ledger.mark_started(action).await.unwrap();
    let level = |index: u32, key: &str| StoredItemLevel {
        level_index: index,
        level_key: key.into(),
        date: day,
    };
    // T5: A reaches level 3, B (11 days late) is recorded at level 1.
    let done = CommunicationDone {
        action_id: action,
        completion: Completion {
            odoo_ids: vec![77],
            ..Completion::default()
        },
        company_id: 1.into(),
        customer_id: 42.into(),
        last: LastCommunication {
            level_index: 3,
            level_key: "urgent".into(),
            date: day,
        },
        items: vec![(1001, level(3, "urgent")), (1002, level(1, "amical"))],
        paragraph: None,
    };
    ledger.record_communication(&done).await.unwrap();
    ledger.set_marker(1, 42, Some(15)).await.unwrap();
    ledger.set_marker(2, 8, Some(16)).await.unwrap();

    let state = ledger.followup_state(Some(1)).await.unwrap();
    assert_eq!(state.items.get(&(1, 1001)), Some(&level(3, "urgent")));
    assert_eq!(state.items.get(&(1, 1002)), Some(&level(1, "amical")));
    let customer = &state.customers[&(1, 42)];
    assert_eq!(customer.last, Some(done.last.clone()));
    assert_eq!(customer.marker_tag_id, Some(15));
    assert!(
        !state.customers.contains_key(&(2, 8)),
        "company filter applies"
    );
    assert_eq!(ledger.action(action).await.unwrap().odoo_ids, vec![77]);

    let everything = ledger.followup_state(None).await.unwrap();
    assert_eq!(
        everything.customers[&(2, 8)].last,
        None,
        "a marker alone has no last communication"
    );
    assert_eq!(ledger.forget_items(1, &[1001, 5555]).await.unwrap(), 1);
    let after = ledger.followup_state(Some(1)).await.unwrap();
    assert_eq!(after.items.keys().collect::<Vec<_>>(), vec![&(1, 1002)]);
}

async fn a_communication_on_an_action_not_started_writes_nothing(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 1, 4);
    let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
    let recorded = ledger
        .record_planned(run, &[planned(5, 1, "amical", day, ActionKind::Email)])
        .await
        .unwrap();
    let done = CommunicationDone {
        action_id: recorded[0].action.id,
        completion: Completion::default(),
        company_id: 1.into(),
        customer_id: 5.into(),
        last: LastCommunication {
            level_index: 1,
            level_key: "amical".into(),
            date: day,
        },
        items: vec![(
            2001,
            StoredItemLevel {
                level_index: 1,
                level_key: "amical".into(),
                date: day,
            },
        )],
        paragraph: None,
    };
    let refused = ledger.record_communication(&done).await.unwrap_err();
    assert!(
        matches!(
            refused,
            LedgerError::Transition {
                actual: ActionState::Planned,
                ..
            }
        ),
        "{refused}"
    );
    let state = ledger.followup_state(None).await.unwrap();
    assert!(
        state.items.is_empty() && state.customers.is_empty(),
        "nothing half-written: {state:?}"
    );
    // The same communication once started is recorded, and only once.
    ledger.mark_started(done.action_id).await.unwrap();
    ledger.record_communication(&done).await.unwrap();
    assert!(
        ledger.record_communication(&done).await.is_err(),
        "a second completion is detected"
    );
    assert_eq!(ledger.followup_state(None).await.unwrap().items.len(), 1);
}

async fn keys_name_the_communication_and_ambiguous_parts_are_refused(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 2, 1);
    let run = ledger.begin_run(RunKind::Approve, day).await.unwrap();
    let mut approved = planned(8, 2, "standard", day, ActionKind::Attachment);
    approved.key.occasion = Occasion::Communication("417".into());
    approved.key.part = Some("letter.pdf".into());
    let recorded = ledger
        .record_planned(run, &[approved.clone()])
        .await
        .unwrap();
    assert_eq!(
        recorded[0].action.key,
        "c1/p8/lstandard/m417/attachment/letter.pdf"
    );

    let mut sneaky = planned(8, 2, "standard/2026-02-01", day, ActionKind::Email);
    sneaky.key.part = None;
    let refused = ledger
        .record_planned(
            run,
            &[planned(9, 1, "amical", day, ActionKind::Email), sneaky],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            LedgerError::Invalid {
                field: "level_key",
                ..
            }
        ),
        "{refused}"
    );
    let all = ledger.list_actions(ActionFilter::default()).await.unwrap();
    assert_eq!(
        all.len(),
        1,
        "the whole batch was refused, nothing recorded"
    );
}

/// The customers of a batch are worked through together: their single moves, made at
/// the same moment, are committed in shared transactions (one sync for many), and one
/// move refused there neither fails nor half-writes the others.
async fn concurrent_moves_share_a_transaction_and_a_refused_one_is_refused_alone(db: &Db) {
    let ledger = db.open().await;
    let day = date(2026, 1, 4);
    let run = ledger.begin_run(RunKind::Scheduled, day).await.unwrap();
    let customers: Vec<i64> = (1..=20).collect();
    let planned_emails: Vec<_> = customers
        .iter()
        .map(|c| planned(*c, 1, "amical", day, ActionKind::Email))
        .collect();
    let recorded = ledger.record_planned(run, &planned_emails).await.unwrap();
    let ids: Vec<_> = recorded.iter().map(|r| r.action.id).collect();

    let before = ledger.time_spent();
    let started =
        futures_util::future::join_all(ids.iter().map(|id| ledger.mark_started(*id))).await;
    let transactions = (ledger.time_spent() - before).count;
    assert!(started.iter().all(|s| s.is_ok()), "{started:?}");
    assert!(
        transactions < 20 / 2,
        "20 moves made together took {transactions} transactions"
    );

    // Half the customers' communications recorded at once, while one of them is
    // recorded twice (refused: it is done already) and one action is moved to done
    // although it is not started (refused).
    let communication = |c: i64, id| CommunicationDone {
        action_id: id,
        completion: Completion::default(),
        company_id: 1.into(),
        customer_id: c.into(),
        last: LastCommunication {
            level_index: 1,
            level_key: "amical".into(),
            date: day,
        },
        items: vec![(
            1000 + c,
            StoredItemLevel {
                level_index: 1,
                level_key: "amical".into(),
                date: day,
            },
        )],
        paragraph: None,
    };
    let dones: Vec<_> = customers[..10]
        .iter()
        .zip(&ids)
        .map(|(c, id)| communication(*c, *id))
        .collect();
    ledger.record_communication(&dones[0]).await.unwrap();
    let late = ledger
        .record_planned(run, &[planned(99, 1, "amical", day, ActionKind::Email)])
        .await
        .unwrap()[0]
        .action
        .id;
    let (recorded_again, not_started, rest) = tokio::join!(
        ledger.record_communication(&dones[0]),
        ledger.mark_done(late, Completion::default()),
        futures_util::future::join_all(dones[1..].iter().map(|d| ledger.record_communication(d))),
    );
    assert!(
        matches!(
            recorded_again,
            Err(LedgerError::Transition {
                actual: ActionState::Done,
                ..
            })
        ),
        "{recorded_again:?}"
    );
    assert!(
        matches!(
            not_started,
            Err(LedgerError::Transition {
                actual: ActionState::Planned,
                ..
            })
        ),
        "{not_started:?}"
    );
    assert!(rest.iter().all(|r| r.is_ok()), "{rest:?}");
    let state = ledger.followup_state(None).await.unwrap();
    assert_eq!(
        state.items.len(),
        10,
        "one level per recorded item: {state:?}"
    );
    assert_eq!(state.customers.len(), 10, "{state:?}");
    let all = ledger.list_actions(ActionFilter::default()).await.unwrap();
    let done = all.iter().filter(|a| a.state == ActionState::Done).count();
    let started = all
        .iter()
        .filter(|a| a.state == ActionState::Started)
        .count();
    assert_eq!((done, started), (10, 10), "{all:#?}");
    assert_eq!(
        all.iter().find(|a| a.id == late).map(|a| a.state),
        Some(ActionState::Planned)
    );
}
