//! What to remember once a communication has been executed: each listed item's new
//! `sent(i)` and the customer's last communication. The ledger adapter persists the same
//! facts; tests use `apply_executed` to replay runs day after day.
//!
//! Never called for a proposed (manual, unapproved) communication.

use chrono::NaiveDate;

use super::decision::{Decision, ItemRecord};
use super::model::{CustomerLast, ItemLevel, LedgerState};

/// Per-item levels to record after the decision's communication is executed
/// (empty when the decision communicates nothing).
pub fn levels_to_record(decision: &Decision) -> &[ItemRecord] {
    decision
        .communication()
        .map_or(&[], |c| c.record.as_slice())
}

/// Records in `ledger` that the decision's communication was executed on `date`.
/// Returns false (and changes nothing) when the decision communicates nothing.
pub fn apply_executed(ledger: &mut LedgerState, decision: &Decision, date: NaiveDate) -> bool {
    let Some(c) = decision.communication() else {
        return false;
    };
    for r in &c.record {
        let entry = ledger
            .item_levels
            .entry(r.item_id)
            .or_insert(ItemLevel { level: 0, date });
        if r.level >= entry.level {
            *entry = ItemLevel {
                level: r.level,
                date,
            };
        }
    }
    ledger.customer_last.insert(
        decision.customer_id,
        CustomerLast {
            level: c.level,
            key: c.key.clone(),
            date,
        },
    );
    true
}
