//! The unit tests of `select`: plans and summaries built by hand, one test per rule.

use super::*;
use crate::followup::{Approval, Communication, NothingReason, Outcome};

/// Customer ids from bare integers.
fn c<const N: usize>(ids: [i64; N]) -> [CustomerId; N] {
    ids.map(CustomerId::from)
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 14).unwrap()
}

fn decision(id: i64, strategy: &str, level: Option<&str>) -> Decision {
    let outcome = match level {
        Some(key) => Outcome::Communicate(Communication {
            level: 1,
            key: key.into(),
            label: key.into(),
            template: key.into(),
            actions: vec![],
            approval: Approval::Auto,
            record: vec![],
            explanation_odoo: String::new(),
        }),
        None => Outcome::Nothing {
            reason: NothingReason::NothingDue,
        },
    };
    Decision {
        customer_id: id.into(),
        customer_name: format!("Customer {id}"),
        lang: None,
        strategy: Some(strategy.into()),
        assigned_by: None,
        decision: outcome,
        items: vec![],
        totals: vec![],
        marker: None,
        markers_to_remove: vec![],
        recipients: vec![],
        no_email: false,
        responsible: None,
        explanation: format!("why {id}"),
    }
}

fn plan(decisions: Vec<Decision>) -> Plan {
    Plan {
        as_of: day(),
        company_id: 1.into(),
        decisions,
        warnings: vec![],
    }
}

fn ids(s: &LaunchSelection) -> Vec<i64> {
    s.customers.iter().map(|d| d.customer_id.get()).collect()
}

#[test]
fn plan_filter_keeps_the_named_customers_of_the_named_strategy() {
    let mut p = plan(vec![
        decision(1, "standard", Some("amical")),
        decision(2, "grands", Some("amical")),
        decision(3, "standard", None),
    ]);
    let filter = PlanFilter {
        customers: c([1, 2]).into(),
        strategy: Some("standard".into()),
    };
    filter.apply(&mut p);
    assert_eq!(p.decisions.len(), 1);
    assert_eq!(p.decisions[0].customer_id.get(), 1);
    let mut all = plan(vec![decision(1, "a", None), decision(2, "b", None)]);
    PlanFilter::default().apply(&mut all);
    assert_eq!(all.decisions.len(), 2);
}

#[test]
fn a_launch_takes_who_is_due_for_the_level_adds_and_removes_by_hand() {
    let plans = vec![
        plan(vec![
            decision(1, "standard", Some("urgent")),
            decision(2, "standard", Some("amical")),
            decision(3, "standard", Some("urgent")),
            decision(4, "standard", None),
        ]),
        plan(vec![decision(5, "grands", Some("urgent"))]),
    ];
    let request = LaunchRequest {
        strategy: "standard".into(),
        level: "urgent".into(),
        add: c([2]).into(),
        remove: c([3]).into(),
    };
    let chosen = LaunchSelection::choose(&plans, &request, day()).unwrap();
    assert_eq!(ids(&chosen), vec![1, 2]);
    assert_eq!(chosen.customers[1].level, "amical");
    assert_eq!(chosen.selection().customers, BTreeSet::from(c([1, 2])));
    assert!(chosen.selection().approve_manual);
}

#[test]
fn a_launch_refuses_to_add_a_customer_due_for_nothing() {
    let plans = vec![plan(vec![decision(4, "standard", None)])];
    let request = LaunchRequest {
        strategy: "standard".into(),
        level: "urgent".into(),
        add: c([4]).into(),
        remove: vec![],
    };
    let err = LaunchSelection::choose(&plans, &request, day()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "customer 4 is not due for any communication as of 2025-03-14 (see `relanced plan --customer 4`)"
    );
}

#[test]
fn an_approval_takes_every_proposed_customer_or_the_named_ones() {
    let summary = serde_json::json!({ "emails": 3, "awaiting_approval": [7, 9] });
    let proposed = AwaitingApproval::of_summary(Some(&summary));
    assert_eq!(
        approval(12, &proposed, &[]).unwrap().customers,
        BTreeSet::from(c([7, 9]))
    );
    assert_eq!(
        approval(12, &proposed, &c([9])).unwrap().customers,
        BTreeSet::from(c([9]))
    );
    let err = approval(12, &proposed, &c([8])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "customer 8 has no level waiting for approval in run 12"
    );
}

#[test]
fn a_failed_run_proposes_nothing_to_approve() {
    let failed = serde_json::json!({ "error": "Odoo unreachable" });
    let proposed = AwaitingApproval::of_summary(Some(&failed));
    assert!(approval(3, &proposed, &[]).unwrap().customers.is_empty());
    assert!(
        AwaitingApproval::of_summary(None)
            .awaiting_approval
            .is_empty()
    );
}
