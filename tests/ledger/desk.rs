//! What the credit controller's desk keeps in the ledger, on SQLite and PostgreSQL: one
//! pending personal paragraph per customer (a new one replaces it, clearing removes it),
//! consumed only by the transaction that records the communication carrying it, with that
//! action and its run; the approver of an approval run; a customer's actions.

use crate::common::ledger::{Db, date, planned};
use pretty_assertions::assert_eq;
use relanced::ledger::{
    ActionKind, Approver, CommunicationDone, Completion, LastCommunication, ParagraphState, RunKind,
};

crate::ledger_suite!(
    a_paragraph_waits_until_the_communication_carrying_it_is_recorded,
    a_new_paragraph_replaces_the_pending_one_and_clearing_removes_it,
    a_paragraph_cleared_before_sending_is_not_marked_used,
    the_approver_of_a_run_is_recorded_once,
);

fn done(
    action: relanced::ledger::ActionId,
    customer: i64,
    paragraph: Option<i64>,
) -> CommunicationDone {
    CommunicationDone {
        action_id: action,
        completion: Completion::default(),
        company_id: 1.into(),
        customer_id: customer.into(),
        last: LastCommunication {
            level_index: 1,
            level_key: "amical".into(),
            date: date(2026, 1, 4),
        },
        items: vec![],
        paragraph,
    }
}

async fn a_paragraph_waits_until_the_communication_carrying_it_is_recorded(db: &Db) {
    let ledger = db.open().await;
    let text = "<b>Merci</b> pour l'appel\nÀ bientôt";
    let set = ledger
        .set_paragraph(1.into(), 42.into(), text, "jdupont", "Jeanne Dupont")
        .await
        .unwrap();
    assert_eq!(set.state, ParagraphState::Pending);
    assert_eq!(set.text, text, "stored as typed");
    assert_eq!(set.set_by_name, "Jeanne Dupont");
    // Another customer and another company see nothing.
    assert_eq!(
        ledger.pending_paragraph(1.into(), 43.into()).await.unwrap(),
        None
    );
    assert_eq!(
        ledger.pending_paragraph(2.into(), 42.into()).await.unwrap(),
        None
    );
    let all = ledger.pending_paragraphs(1.into()).await.unwrap();
    assert_eq!(all.keys().map(|c| c.get()).collect::<Vec<_>>(), vec![42]);

    // Planned and started: still pending (a crash here keeps it).
    let day = date(2026, 1, 4);
    let run = ledger.begin_run(RunKind::Once, day).await.unwrap();
    let recorded = ledger
        .record_planned(run, &[planned(42, 1, "amical", day, ActionKind::State)])
        .await
        .unwrap();
    let action = recorded[0].action.id;
    ledger.mark_started(action).await.unwrap();
    assert_eq!(
        ledger.pending_paragraph(1.into(), 42.into()).await.unwrap(),
        Some(set.clone())
    );

    // Recorded: used, by that action and its run; no longer pending.
    ledger
        .record_communication(&done(action, 42, Some(set.id)))
        .await
        .unwrap();
    assert_eq!(
        ledger.pending_paragraph(1.into(), 42.into()).await.unwrap(),
        None
    );
    let used = ledger.paragraph(set.id).await.unwrap();
    assert_eq!(used.state, ParagraphState::Used);
    assert_eq!(used.used_by_action, Some(action));
    assert_eq!(used.used_in_run, Some(run));
    assert!(used.closed_at.is_some());
    let history = ledger
        .customer_paragraphs(1.into(), 42.into())
        .await
        .unwrap();
    assert_eq!(history, vec![used]);
    let actions = ledger.customer_actions(1.into(), 42.into()).await.unwrap();
    assert_eq!(
        actions.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![action]
    );
}

async fn a_new_paragraph_replaces_the_pending_one_and_clearing_removes_it(db: &Db) {
    let ledger = db.open().await;
    let first = ledger
        .set_paragraph(1.into(), 7.into(), "premier", "a", "A")
        .await
        .unwrap();
    let second = ledger
        .set_paragraph(1.into(), 7.into(), "second", "b", "B")
        .await
        .unwrap();
    assert_ne!(first.id, second.id);
    let pending = ledger.pending_paragraph(1.into(), 7.into()).await.unwrap();
    assert_eq!(pending.map(|p| p.text), Some("second".to_owned()));
    let replaced = ledger.paragraph(first.id).await.unwrap();
    assert_eq!(replaced.state, ParagraphState::Cleared);
    assert_eq!(replaced.closed_by_login.as_deref(), Some("b"));

    let cleared = ledger
        .clear_paragraph(1.into(), 7.into(), "c")
        .await
        .unwrap();
    assert_eq!(cleared.as_ref().map(|p| p.id), Some(second.id));
    assert_eq!(cleared.map(|p| p.state), Some(ParagraphState::Cleared));
    assert_eq!(
        ledger.pending_paragraph(1.into(), 7.into()).await.unwrap(),
        None
    );
    // Clearing again: nothing to clear.
    assert_eq!(
        ledger
            .clear_paragraph(1.into(), 7.into(), "c")
            .await
            .unwrap(),
        None
    );
}

async fn a_paragraph_cleared_before_sending_is_not_marked_used(db: &Db) {
    let ledger = db.open().await;
    let p = ledger
        .set_paragraph(1.into(), 9.into(), "texte", "a", "A")
        .await
        .unwrap();
    let day = date(2026, 1, 4);
    let run = ledger.begin_run(RunKind::Once, day).await.unwrap();
    let recorded = ledger
        .record_planned(run, &[planned(9, 1, "amical", day, ActionKind::State)])
        .await
        .unwrap();
    let action = recorded[0].action.id;
    ledger.mark_started(action).await.unwrap();
    ledger
        .clear_paragraph(1.into(), 9.into(), "a")
        .await
        .unwrap();
    ledger
        .record_communication(&done(action, 9, Some(p.id)))
        .await
        .unwrap();
    let after = ledger.paragraph(p.id).await.unwrap();
    assert_eq!(after.state, ParagraphState::Cleared);
    assert_eq!(after.used_by_action, None);
}

async fn the_approver_of_a_run_is_recorded_once(db: &Db) {
    let ledger = db.open().await;
    let run = ledger
        .begin_run(RunKind::Approve, date(2026, 1, 4))
        .await
        .unwrap();
    let other = ledger
        .begin_run(RunKind::Once, date(2026, 1, 4))
        .await
        .unwrap();
    let jeanne = Approver {
        login: "jdupont".into(),
        name: "Jeanne Dupont".into(),
        user_id: Some(12),
    };
    ledger.record_approver(run, &jeanne).await.unwrap();
    assert_eq!(
        ledger.run_approver(run).await.unwrap(),
        Some(jeanne.clone())
    );
    assert_eq!(ledger.run_approver(other).await.unwrap(), None);
    assert!(
        ledger.record_approver(run, &jeanne).await.is_err(),
        "once per run"
    );
}
