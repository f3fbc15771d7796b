//! Properties of the engine over random snapshots and run sequences (proptest): it is
//! deterministic, sends at most one communication per customer and run, never skips a
//! level in step mode, drops every marker once everything is paid, and a second run on
//! the same day plans nothing new.

use crate::common::followup::*;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use relanced::followup::{LedgerState, OpenItem, Postponement, PostponementTarget, Snapshot, plan};
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
struct ItemSpec {
    customer: i64,
    due: i64,
    cents: i64,
    state: usize,
}

fn item_spec() -> impl Strategy<Value = ItemSpec> {
    (1i64..=5, -20i64..=120, -20_000i64..=200_000, 0usize..6).prop_map(
        |(customer, due, cents, state)| ItemSpec {
            customer,
            due,
            cents,
            state,
        },
    )
}

const STATES: [&str; 6] = [
    "not_paid", "partial", "not_paid", "paid", "not_paid", "blocked",
];

fn base() -> NaiveDate {
    d("01-01")
}

fn day(n: i64) -> NaiveDate {
    if n >= 0 {
        base().checked_add_days(Days::new(n as u64)).unwrap()
    } else {
        base()
            .checked_sub_days(Days::new(n.unsigned_abs()))
            .unwrap()
    }
}

fn build(specs: &[ItemSpec], postponed: &[(usize, i64)], emails: bool) -> Snapshot {
    let mut s = snapshot((1..=5).map(customer).collect());
    if !emails {
        s.customers[2].email = None;
    }
    for (n, spec) in specs.iter().enumerate() {
        let id = n as i64 + 1;
        let amount = Decimal::new(spec.cents, 2).to_string();
        add_invoice(&mut s, id, spec.customer, day(spec.due), &amount, &amount);
        s.invoices[n].payment_state = STATES[spec.state].into();
    }
    for (index, until) in postponed {
        if let Some(item) = s.items.get(*index % specs.len().max(1)) {
            s.postponements.push(Postponement {
                res_model: PostponementTarget::Invoice,
                res_id: item.move_id,
                deadline: Some(day(*until)),
            });
        }
    }
    s
}

/// Runs every `step` days from day 0 to `days`, executing communications.
fn replay(s: &Snapshot, days: i64, step: i64) -> (LedgerState, Vec<relanced::followup::Plan>) {
    let set = strategy_s();
    let mut ledger = LedgerState::default();
    let mut plans = Vec::new();
    let mut n = 0;
    while n <= days {
        plans.push(run_and_execute(s, &mut ledger, &set, day(n)));
        n += step;
    }
    (ledger, plans)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn plan_is_deterministic_whatever_the_input_order(
        specs in prop::collection::vec(item_spec(), 0..25),
        postponed in prop::collection::vec((0usize..25, 0i64..100), 0..3),
        as_of in 0i64..150,
    ) {
        let s = build(&specs, &postponed, true);
        let set = strategy_s();
        let first = plan(&s, &LedgerState::default(), &set, day(as_of));
        prop_assert_eq!(&first, &plan(&s, &LedgerState::default(), &set, day(as_of)));
        let mut shuffled = s.clone();
        shuffled.items.reverse();
        shuffled.customers.reverse();
        shuffled.invoices.reverse();
        prop_assert_eq!(&first, &plan(&shuffled, &LedgerState::default(), &set, day(as_of)));
    }

    #[test]
    fn a_customer_never_gets_two_communications_in_a_run(
        specs in prop::collection::vec(item_spec(), 0..25),
        step in 1i64..10,
    ) {
        let (_, plans) = replay(&build(&specs, &[], true), 150, step);
        for p in &plans {
            let mut ids: Vec<i64> = p.decisions.iter().map(|d| d.customer_id.get()).collect();
            let total = ids.len();
            ids.dedup();
            prop_assert_eq!(ids.len(), total);
        }
    }

    #[test]
    fn no_level_is_skipped_in_step_mode(
        specs in prop::collection::vec(item_spec(), 1..25),
        step in 1i64..15,
    ) {
        let (_, plans) = replay(&build(&specs, &[], false), 160, step);
        for p in &plans {
            for d in &p.decisions {
                for item in &d.items {
                    if let Some(due) = item.level_due {
                        prop_assert_eq!(due, item.level_sent + 1, "{}", d.explanation);
                    }
                }
                if let Some(c) = d.communication() {
                    let before = d.items.iter().map(|i| i.level_sent).max().unwrap_or(0);
                    prop_assert!(c.level <= before + 1, "level {} after {}: {}", c.level, before, d.explanation);
                }
            }
        }
    }

    #[test]
    fn paying_everything_removes_the_marker(
        specs in prop::collection::vec(item_spec(), 1..25),
        step in 1i64..10,
        reconciled in any::<bool>(),
    ) {
        let s = build(&specs, &[], true);
        let (ledger, _) = replay(&s, 120, step);
        let mut paid = s.clone();
        if reconciled {
            paid.items.clear();
        } else {
            paid.invoices.iter_mut().for_each(|i| i.payment_state = "paid".into());
        }
        paid.customers.iter_mut().for_each(|c| c.tags = vec![tag(11, "Relance 1"), tag(13, "Relance 3")]);
        let p = plan(&paid, &ledger, &strategy_s(), day(121));
        for d in &p.decisions {
            prop_assert_eq!(&d.marker, &None, "{}", d.explanation);
            prop_assert_eq!(d.markers_to_remove.len(), 2);
            prop_assert!(d.communication().is_none());
        }
    }

    #[test]
    fn rerunning_the_same_day_plans_nothing_new(
        specs in prop::collection::vec(item_spec(), 1..25),
        postponed in prop::collection::vec((0usize..25, 0i64..100), 0..3),
        days in 0i64..150,
        step in 1i64..20,
    ) {
        let s = build(&specs, &postponed, true);
        let set = strategy_s();
        let (mut ledger, _) = replay(&s, days, step);
        run_and_execute(&s, &mut ledger, &set, day(days));
        let again = run_and_execute(&s, &mut ledger, &set, day(days));
        prop_assert_eq!(again.communications().count(), 0);
    }
}

#[test]
fn items_unknown_to_the_snapshot_are_reported_not_lost() {
    let mut s = snapshot(vec![customer(1)]);
    s.items.push(OpenItem {
        id: 9,
        customer_id: 77.into(),
        date: base(),
        ..OpenItem::default()
    });
    let p = plan(&s, &LedgerState::default(), &strategy_s(), base());
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("customer id 77"), "{:?}", p.warnings);
}
