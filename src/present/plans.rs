//! `relanced plan` over several companies: their tables one after the other, one CSV with
//! a single header, and the changes since a previous plan saved as JSON. Text only; the
//! caller reads the previous plan's file and prints.

use super::plan::{self, Position};
use crate::followup::{CustomerId, Plan};
use std::collections::BTreeMap;

/// The plans' tables, one per company.
pub fn tables(plans: &[Plan], explain: bool) -> String {
    plans.iter().map(|p| plan::table(p, explain)).collect()
}

/// The plans as one CSV: one header for all companies.
pub fn csv(plans: &[Plan]) -> String {
    let mut out = String::new();
    for (i, p) in plans.iter().enumerate() {
        let csv = plan::csv(p);
        out.push_str(if i == 0 {
            csv.as_str()
        } else {
            csv.split_once('\n').map_or("", |(_, rest)| rest)
        });
    }
    out
}

/// Why a previous plan cannot be compared with.
#[derive(Debug, thiserror::Error)]
pub enum PreviousPlanError {
    #[error("not JSON")]
    NotJson(#[source] serde_json::Error),
    #[error("not the output of `relanced plan --format json`")]
    NotAPlan,
}

/// The positions of a previous `relanced plan --format json`.
pub fn previous_positions(text: &str) -> Result<BTreeMap<CustomerId, Position>, PreviousPlanError> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(PreviousPlanError::NotJson)?;
    plan::positions_from_json(&json).ok_or(PreviousPlanError::NotAPlan)
}

/// Changes from `before` to the current `plans` (all companies).
pub fn diff_since(before: &BTreeMap<CustomerId, Position>, plans: &[Plan]) -> String {
    let mut now = BTreeMap::new();
    for p in plans {
        now.extend(plan::positions(p));
    }
    plan::diff(before, &now)
}
