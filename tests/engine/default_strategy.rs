//! The shipped default strategy at work: the urgent level charges statutory interest and
//! the 40 EUR indemnity and asks the salesperson to call; the formal notice is proposed
//! for approval, never sent on its own.

use crate::common::followup::*;
use relanced::config::strategy::StrategyFile;
use relanced::followup::{
    Approval, ItemLevel, LedgerState, PlannedAction, StrategySet, UserRef, plan,
};

fn default_set() -> StrategySet {
    let file: StrategyFile =
        toml::from_str(include_str!("../../config/default-strategy.toml")).unwrap();
    file.strategy_set(&|_| true).unwrap()
}

fn at_level(level: u32, date: &str) -> LedgerState {
    let mut ledger = LedgerState::default();
    ledger.item_levels.insert(
        1,
        ItemLevel {
            level,
            date: d(date),
        },
    );
    ledger
}

#[test]
fn urgent_level_charges_interest_and_indemnity_and_plans_a_call() {
    let mut s = snapshot(vec![customer(1)]);
    s.customers[0].salesperson = Some(UserRef {
        id: 5,
        name: "Paul".into(),
    });
    add_invoice(&mut s, 1, 1, d("01-01"), "1000.00", "1000.00");
    let p = plan(&s, &at_level(2, "01-16"), &default_set(), d("02-05"));
    let decision = &p.decisions[0];
    let c = decision.communication().expect(&decision.explanation);
    assert_eq!((c.level, c.key.as_str()), (3, "urgent"));
    // 1000 × (2.15 + 10) % × 35 / 365 = 11.65
    assert_eq!(decision.items[0].interest, dec("11.65"));
    assert_eq!(decision.totals[0].indemnity, dec("40"));
    assert_eq!(decision.totals[0].total_due, dec("1051.65"));
    assert!(matches!(c.actions[2], PlannedAction::Call { deadline, .. } if deadline == d("02-07")));
    assert_eq!(decision.responsible.as_ref().map(|r| r.user_id), Some(5));
    assert_eq!(
        decision.marker.as_ref().map(|m| m.tag.as_str()),
        Some("Relance 3 · Rappel urgent")
    );
    assert!(
        decision.explanation.contains("fees and interest 51,65 EUR"),
        "{}",
        decision.explanation
    );
}

#[test]
fn formal_notice_is_proposed_for_approval() {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-01"), "1000.00", "1000.00");
    let p = plan(&s, &at_level(4, "02-15"), &default_set(), d("03-05"));
    let decision = &p.decisions[0];
    let c = decision.communication().expect(&decision.explanation);
    assert_eq!((c.key.as_str(), c.approval), ("demeure", Approval::Manual));
    assert!(
        matches!(&c.actions[1], PlannedAction::Activity { spec, .. } if spec.summary == "Transmettre au recouvrement")
    );
    // Not executed yet: the marker stays at the suspension level.
    assert_eq!(
        decision.marker.as_ref().map(|m| m.key.as_str()),
        Some("suspension")
    );
}
