//! FOLLOWUP.md's worked timelines T1–T16, one test each, against strategy S
//! (levels 1 +3, 2 +15, 3 +30; min interval 7; min amount 5 EUR).

use crate::common::followup::*;
use relanced::followup::{
    Decision, ItemStatus, LedgerState, NothingReason, Outcome, Plan, PlannedAction, Postponement,
    PostponementTarget, Strategy, plan,
};

fn only(p: &Plan) -> &Decision {
    assert_eq!(p.decisions.len(), 1, "one customer expected: {p:#?}");
    &p.decisions[0]
}

fn level_of(d: &Decision) -> Option<u32> {
    d.communication().map(|c| c.level)
}

fn marker_level(d: &Decision) -> Option<u32> {
    d.marker.as_ref().map(|m| m.level)
}

fn reason(d: &Decision) -> &NothingReason {
    match &d.decision {
        Outcome::Nothing { reason } => reason,
        Outcome::Communicate(c) => {
            panic!("expected nothing, got level {}: {}", c.level, d.explanation)
        }
    }
}

/// Customer 1 with invoice A (item 1) of 100.00 due 01-01.
fn invoice_a() -> relanced::followup::Snapshot {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-01"), "100.00", "100.00");
    s
}

#[test]
fn t01_two_days_overdue_nothing() {
    let p = plan(
        &invoice_a(),
        &LedgerState::default(),
        &strategy_s(),
        d("01-03"),
    );
    let dec = only(&p);
    assert_eq!(reason(dec), &NothingReason::NothingDue);
    assert_eq!(dec.marker, None);
    assert_eq!(dec.items.len(), 1);
    assert_eq!(dec.items[0].days_overdue, 2);
    assert!(
        dec.explanation.starts_with("nothing:"),
        "{}",
        dec.explanation
    );
    assert!(
        dec.explanation.contains("2 days overdue (< 3"),
        "{}",
        dec.explanation
    );
}

#[test]
fn t02_three_days_overdue_level_1_and_marker() {
    let p = plan(
        &invoice_a(),
        &LedgerState::default(),
        &strategy_s(),
        d("01-04"),
    );
    let dec = only(&p);
    assert_eq!(level_of(dec), Some(1));
    assert_eq!(marker_level(dec), Some(1));
    assert_eq!(
        dec.marker.as_ref().map(|m| m.tag.as_str()),
        Some("Relance 1")
    );
    let c = dec.communication().unwrap();
    assert_eq!(c.key, "amical");
    assert_eq!(c.actions, vec![PlannedAction::Email]);
    assert_eq!(dec.recipients[0].email, "client1@example.com");
    assert_eq!(
        dec.explanation,
        "level 1 (amical): INV/2026/00001 is 3 days overdue (≥ 3), first reminder; overdue 100,00 EUR ≥ 5,00"
    );
}

#[test]
fn t03_level_1_sent_then_gated_until_day_16() {
    let (s, set) = (invoice_a(), strategy_s());
    let mut ledger = LedgerState::default();
    let first = run_and_execute(&s, &mut ledger, &set, d("01-04"));
    assert_eq!(level_of(only(&first)), Some(1));
    assert_eq!(ledger.sent(1), 1);
    let p = plan(&s, &ledger, &set, d("01-10"));
    let dec = only(&p);
    assert_eq!(reason(dec), &NothingReason::Gated { until: d("01-16") });
    assert_eq!(marker_level(dec), Some(1));
    assert!(
        dec.explanation.contains("gated until 2026-01-16"),
        "{}",
        dec.explanation
    );
    assert!(
        dec.explanation.contains("6 days ago (< 12)"),
        "{}",
        dec.explanation
    );
}

#[test]
fn t04_level_2_on_day_16() {
    let (s, set) = (invoice_a(), strategy_s());
    let mut ledger = LedgerState::default();
    run_and_execute(&s, &mut ledger, &set, d("01-04"));
    let p = run_and_execute(&s, &mut ledger, &set, d("01-16"));
    let dec = only(&p);
    assert_eq!(level_of(dec), Some(2));
    assert_eq!(marker_level(dec), Some(2));
    assert!(
        dec.explanation.starts_with(
            "level 2 (standard): INV/2026/00001 is 15 days overdue (≥ 15), last reminder level 1 on 2026-01-04, 12 days ago (≥ 12)"
        ),
        "{}",
        dec.explanation
    );
    assert_eq!(ledger.sent(1), 2);
}

#[test]
fn t05_level_3_lists_b_recorded_at_level_1() {
    let (mut s, set) = (invoice_a(), strategy_s());
    let b = add_invoice(&mut s, 2, 1, d("01-20"), "80.00", "80.00");
    let mut ledger = LedgerState::default();
    run_and_execute(&invoice_a(), &mut ledger, &set, d("01-04"));
    run_and_execute(&invoice_a(), &mut ledger, &set, d("01-16"));
    let p = run_and_execute(&s, &mut ledger, &set, d("01-31"));
    let dec = only(&p);
    assert_eq!(level_of(dec), Some(3));
    let listed: Vec<_> = dec
        .reminded_items()
        .map(|i| (i.move_name.as_str(), i.days_overdue))
        .collect();
    assert_eq!(listed, vec![("INV/2026/00001", 30), (b.as_str(), 11)]);
    let c = dec.communication().unwrap();
    assert_eq!(
        c.record
            .iter()
            .map(|r| (r.item_id, r.level))
            .collect::<Vec<_>>(),
        vec![(1, 3), (2, 1)]
    );
    assert_eq!(marker_level(dec), Some(3));
    assert!(
        dec.explanation
            .contains("level 3 (urgent): INV/2026/00001 is 30 days overdue (≥ 30)")
    );
    assert!(
        dec.explanation.contains("overdue 180,00 EUR ≥ 5,00"),
        "{}",
        dec.explanation
    );
    assert_eq!((ledger.sent(1), ledger.sent(2)), (3, 1));
}

#[test]
fn t06_a_paid_marker_drops_to_level_1() {
    let set = strategy_s();
    let mut s = invoice_a();
    add_invoice(&mut s, 2, 1, d("01-20"), "80.00", "80.00");
    let mut ledger = LedgerState::default();
    run_and_execute(&invoice_a(), &mut ledger, &set, d("01-04"));
    run_and_execute(&invoice_a(), &mut ledger, &set, d("01-16"));
    run_and_execute(&s, &mut ledger, &set, d("01-31"));
    // A is paid on 02-02: its line is reconciled and leaves the snapshot.
    s.items.retain(|i| i.id != 1);
    s.customers[0].tags = vec![tag(13, "Relance 3")];
    let p = plan(&s, &ledger, &set, d("02-03"));
    let dec = only(&p);
    assert!(dec.communication().is_none(), "{}", dec.explanation);
    assert_eq!(marker_level(dec), Some(1));
    assert_eq!(dec.markers_to_remove, vec![tag(13, "Relance 3")]);
}

#[test]
fn t07_first_found_late_invoice_gets_level_1_only() {
    let set = strategy_s();
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 3, 1, d("01-01"), "200.00", "200.00");
    let mut ledger = LedgerState::default();
    let p = run_and_execute(&s, &mut ledger, &set, d("03-01"));
    assert_eq!(level_of(only(&p)), Some(1));
    assert_eq!(ledger.sent(3), 1);
    let p = plan(&s, &ledger, &set, d("03-12"));
    assert_eq!(
        reason(only(&p)),
        &NothingReason::Gated { until: d("03-13") }
    );
    let p = plan(&s, &ledger, &set, d("03-13"));
    assert_eq!(level_of(only(&p)), Some(2));
}

#[test]
fn t08_net_credit_nothing_and_marker_removed() {
    let set = strategy_s();
    let mut s = snapshot(vec![customer(1)]);
    s.customers[0].tags = vec![tag(11, "Relance 1"), tag(50, "VIP")];
    add_invoice(&mut s, 1, 1, d("01-01"), "100.00", "100.00");
    let credit = add_credit_note(&mut s, 3, 1, d("01-15"), "150.00");
    let p = plan(&s, &LedgerState::default(), &set, d("02-10"));
    let dec = only(&p);
    assert!(matches!(reason(dec), NothingReason::NetCredit { .. }));
    assert_eq!(dec.marker, None);
    assert_eq!(dec.markers_to_remove, vec![tag(11, "Relance 1")]);
    assert_eq!(
        dec.explanation,
        format!("nothing: net balance −50,00 EUR (open credit note {credit})")
    );
}

#[test]
fn t09_residual_below_minimum_nothing() {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-01"), "100.00", "3.20");
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("02-10"));
    let dec = only(&p);
    assert_eq!(reason(dec), &NothingReason::BelowMinimum);
    assert_eq!(dec.items[0].status, ItemStatus::BelowMinimum);
    assert_eq!(
        dec.explanation,
        "nothing: below minimum: overdue 3,20 EUR < 5,00"
    );
}

#[test]
fn t10_postponed_invoice_not_counted_until_the_deadline() {
    let set = strategy_s();
    let mut s = invoice_a();
    s.postponements.push(Postponement {
        res_model: PostponementTarget::Invoice,
        res_id: 101,
        deadline: Some(d("02-15")),
    });
    let p = plan(&s, &LedgerState::default(), &set, d("02-01"));
    let dec = only(&p);
    assert_eq!(reason(dec), &NothingReason::NothingDue);
    assert_eq!(
        dec.items[0].status,
        ItemStatus::Postponed { until: d("02-15") }
    );
    assert!(
        dec.explanation
            .contains("INV/2026/00001 postponed until 2026-02-15"),
        "{}",
        dec.explanation
    );
    let p = plan(&s, &LedgerState::default(), &set, d("02-16"));
    assert_eq!(level_of(only(&p)), Some(1));
}

#[test]
fn t11_pre_due_reminder_lists_the_upcoming_invoice() {
    let mut set = strategy_s();
    let s0: &mut Strategy = &mut set.strategies[0];
    let mut predue = relanced::followup::Level::new("predue", -3);
    predue.marker = None;
    s0.levels.insert(0, predue);
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-10"), "100.00", "100.00");
    let p = plan(&s, &LedgerState::default(), &set, d("01-07"));
    let dec = only(&p);
    let c = dec.communication().expect(&dec.explanation);
    assert_eq!((c.level, c.key.as_str()), (1, "predue"));
    let listed: Vec<_> = dec
        .reminded_items()
        .map(|i| (i.move_name.as_str(), i.days_overdue))
        .collect();
    assert_eq!(listed, vec![("INV/2026/00001", -3)]);
    assert!(
        dec.explanation
            .starts_with("level 1 (predue): INV/2026/00001 is due in 3 days (≥ −3)"),
        "{}",
        dec.explanation
    );
    assert!(
        dec.explanation.contains("upcoming 100,00 EUR ≥ 5,00"),
        "{}",
        dec.explanation
    );
}

#[test]
fn t12_excluded_customer_nothing_no_marker() {
    let mut s = snapshot(vec![customer(1)]);
    s.customers[0].tags = vec![tag(9, EXCLUDED), tag(12, "Relance 2")];
    add_invoice(&mut s, 1, 1, d("01-01"), "500.00", "500.00");
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("04-01"));
    let dec = only(&p);
    assert!(matches!(reason(dec), NothingReason::NotFollowed { .. }));
    assert_eq!(dec.marker, None);
    assert_eq!(dec.markers_to_remove, vec![tag(12, "Relance 2")]);
    assert_eq!(
        dec.explanation,
        "nothing: excluded (tag \"Relance : exclu\")"
    );
}

#[test]
fn t13_second_run_on_the_same_day_sends_nothing() {
    let (s, set) = (invoice_a(), strategy_s());
    let mut ledger = LedgerState::default();
    let first = run_and_execute(&s, &mut ledger, &set, d("01-04"));
    assert_eq!(first.communications().count(), 1);
    let second = run_and_execute(&s, &mut ledger, &set, d("01-04"));
    assert_eq!(second.communications().count(), 0);
    assert_eq!(
        reason(only(&second)),
        &NothingReason::Gated { until: d("01-16") }
    );
    assert_eq!(marker_level(only(&second)), Some(1));
}

#[test]
fn t14_no_email_letter_instead() {
    let mut s = invoice_a();
    s.customers[0].email = None;
    s.customers[0].invoice_contacts = vec![invoice_contact(7, None)];
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("01-04"));
    let dec = only(&p);
    assert_eq!(
        dec.communication().unwrap().actions,
        vec![PlannedAction::Letter {
            instead_of_email: true
        }]
    );
    assert!(dec.no_email);
    assert!(dec.recipients.is_empty());
    assert!(
        dec.explanation.contains("no email address: letter instead"),
        "{}",
        dec.explanation
    );
}

#[test]
fn t15_payment_registered_not_reconciled_nothing() {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-01"), "750.00", "750.00");
    s.invoices[0].payment_state = "paid".into();
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("01-31"));
    let dec = only(&p);
    assert_eq!(reason(dec), &NothingReason::NothingDue);
    assert!(matches!(
        dec.items[0].status,
        ItemStatus::PaymentRegistered { .. }
    ));
    assert_eq!(dec.marker, None);
    assert!(
        dec.explanation
            .contains("payment registered, not yet reconciled"),
        "{}",
        dec.explanation
    );
}

#[test]
fn t16_real_partial_payment_leaves_3_below_minimum() {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-01"), "100.00", "3.00");
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("02-01"));
    let dec = only(&p);
    assert_eq!(reason(dec), &NothingReason::BelowMinimum);
    assert!(
        dec.explanation.contains("overdue 3,00 EUR < 5,00"),
        "{}",
        dec.explanation
    );
}
