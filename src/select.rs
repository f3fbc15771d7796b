//! Which customers a command acts on, decided from plans and run summaries: the decisions
//! `relanced plan` shows (`PlanFilter`), the customers a manual launch executes
//! (`LaunchSelection`, also for the web console) and the ones an approval executes
//! (`Approval`). Pure functions of their inputs: no I/O, no printing.

use crate::execute::Selection;
use crate::followup::{CustomerId, Decision, Plan};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The decisions `relanced plan` shows: all, or only these customers and/or strategy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanFilter {
    /// Only these customers (empty: all).
    pub customers: Vec<CustomerId>,
    /// Only customers following this strategy.
    pub strategy: Option<String>,
}

impl PlanFilter {
    pub fn keeps(&self, d: &Decision) -> bool {
        (self.customers.is_empty() || self.customers.contains(&d.customer_id))
            && self
                .strategy
                .as_ref()
                .is_none_or(|s| d.strategy.as_deref() == Some(s.as_str()))
    }

    /// Leaves in `plan` only the decisions this filter keeps.
    pub fn apply(&self, plan: &mut Plan) {
        plan.decisions.retain(|d| self.keeps(d));
    }
}

/// A customer due for a communication.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Due {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub strategy: Option<String>,
    /// The level's key, e.g. `urgent`.
    pub level: String,
    pub explanation: String,
}

/// What a manual launch asks for: a level of a strategy, adjusted by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchRequest {
    pub strategy: String,
    pub level: String,
    /// Customers to add (they must be due for some communication).
    pub add: Vec<CustomerId>,
    /// Customers to leave out.
    pub remove: Vec<CustomerId>,
}

/// A customer added by hand who is due for nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "customer {customer} is not due for any communication as of {as_of} (see `relanced plan --customer {customer}`)"
)]
pub struct NotDue {
    pub customer: CustomerId,
    pub as_of: NaiveDate,
}

/// The customers a manual launch executes, by customer id.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LaunchSelection {
    pub customers: Vec<Due>,
}

impl LaunchSelection {
    /// Who is due for `request`'s level in `plans` (as of `as_of`), plus the customers
    /// added (due for any level), minus the ones removed. A customer in several plans
    /// counts with its last decision.
    pub fn choose(
        plans: &[Plan],
        request: &LaunchRequest,
        as_of: NaiveDate,
    ) -> Result<LaunchSelection, NotDue> {
        let mut due: BTreeMap<CustomerId, Due> = BTreeMap::new();
        for d in plans.iter().flat_map(|p| p.decisions.iter()) {
            if let Some(c) = d.communication() {
                due.insert(
                    d.customer_id,
                    Due {
                        customer_id: d.customer_id,
                        customer_name: d.customer_name.clone(),
                        strategy: d.strategy.clone(),
                        level: c.key.clone(),
                        explanation: d.explanation.clone(),
                    },
                );
            }
        }
        let mut chosen: BTreeSet<CustomerId> = due
            .values()
            .filter(|d| {
                d.strategy.as_deref() == Some(request.strategy.as_str()) && d.level == request.level
            })
            .map(|d| d.customer_id)
            .collect();
        for &customer in &request.add {
            if !due.contains_key(&customer) {
                return Err(NotDue { customer, as_of });
            }
            chosen.insert(customer);
        }
        for id in &request.remove {
            chosen.remove(id);
        }
        Ok(LaunchSelection {
            customers: chosen.iter().filter_map(|id| due.remove(id)).collect(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// What the executor acts on: these customers, manual levels included.
    pub fn selection(&self) -> Selection {
        Selection {
            customers: self.customers.iter().map(|d| d.customer_id).collect(),
            approve_manual: true,
            approved_by: None,
        }
    }
}

/// The part of a run's summary (its `RunReport` as JSON) an approval reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
pub struct AwaitingApproval {
    /// Customers whose level waits for `relanced approve`.
    #[serde(default)]
    pub awaiting_approval: Vec<CustomerId>,
}

impl AwaitingApproval {
    /// Read from a run's summary; a summary without it (a failed run) proposes nothing.
    pub fn of_summary(summary: Option<&serde_json::Value>) -> AwaitingApproval {
        summary
            .and_then(|s| serde_json::from_value(s.clone()).ok())
            .unwrap_or_default()
    }
}

/// A customer named for approval whose level does not wait for it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("customer {customer} has no level waiting for approval in run {run}")]
pub struct NotProposed {
    pub customer: CustomerId,
    pub run: i64,
}

/// The customers an approval of run `run` executes: all those it proposed, or the ones
/// named (each must have been proposed). Empty: nothing to approve.
pub fn approval(
    run: i64,
    proposed: &AwaitingApproval,
    customers: &[CustomerId],
) -> Result<Selection, NotProposed> {
    let proposed: BTreeSet<CustomerId> = proposed.awaiting_approval.iter().copied().collect();
    let customers = if customers.is_empty() {
        proposed
    } else {
        if let Some(&customer) = customers.iter().find(|c| !proposed.contains(c)) {
            return Err(NotProposed { customer, run });
        }
        customers.iter().copied().collect()
    };
    Ok(Selection {
        customers,
        approve_manual: true,
        approved_by: None,
    })
}

#[cfg(test)]
mod tests;
